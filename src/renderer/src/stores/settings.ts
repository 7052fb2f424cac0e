// User settings (theme, training defaults, thumbnails per class), stored by the host in the
// home folder through lab.settings, so the desktop app and browser mode share them.
//
// Until the host answers, DEFAULTS stand in: views never wait on settings to render.

import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Settings } from '../../../shared/labApi';
import { lab } from '../lab';
import { setThemePreference } from '../styles/theme';

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  defaultBatchSize: 64,
  defaultEpochs: 5,
  defaultLearningRate: 0.01,
  samplesPerClass: 8,
};

/**
 * Electron's preload puts `window.lab` in place and main opens native file dialogs; in browser
 * mode the WebSocket client is used instead, and the user types paths (the host has no dialog).
 */
export function hostHasDialogs(): boolean {
  return typeof window !== 'undefined' && window.lab !== undefined;
}

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings>({ ...DEFAULT_SETTINGS });
  const loaded = ref(false);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    try {
      settings.value = await lab.settings.get();
      error.value = null;
    } catch (e) {
      error.value = `Could not read settings (${(e as Error).message}); using defaults`;
    } finally {
      loaded.value = true;
      setThemePreference(settings.value.theme);
    }
  }

  async function update(patch: Partial<Settings>): Promise<void> {
    // Optimistic: the theme switches at once, then the stored result replaces the local copy.
    settings.value = { ...settings.value, ...patch };
    setThemePreference(settings.value.theme);
    try {
      settings.value = await lab.settings.set(patch);
      error.value = null;
    } catch (e) {
      error.value = `Could not save settings: ${(e as Error).message}`;
    }
    setThemePreference(settings.value.theme);
  }

  return { settings, loaded, error, load, update };
});
