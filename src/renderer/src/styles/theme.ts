// The theme actually on screen ('light' | 'dark'), as one reactive value shared by CSS and charts.
//
// CSS follows `data-theme` on <html> (set here), so every component's colours come from the
// variables in theme.css. Charts draw on a canvas and cannot read CSS cascades cheaply on every
// frame, so they watch `activeTheme` and take their colours from `chartPalette` instead; the two
// palettes below are kept equal to the CSS variables by hand (same hex values).

import { ref } from 'vue';
import type { ThemeSetting } from '../../../shared/labApi';

export type ResolvedTheme = 'light' | 'dark';

const systemQuery = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

let preference: ThemeSetting = 'system';

function resolve(setting: ThemeSetting): ResolvedTheme {
  if (setting === 'light' || setting === 'dark') return setting;
  return systemQuery?.matches ? 'dark' : 'light';
}

export const activeTheme = ref<ResolvedTheme>(resolve(preference));

function apply(): void {
  activeTheme.value = resolve(preference);
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = activeTheme.value;
}

/** Called by the settings store whenever the user's theme setting is known or changes. */
export function setThemePreference(setting: ThemeSetting): void {
  preference = setting;
  apply();
}

// A system switch (e.g. the OS going dark at sunset) only matters while the setting is 'system'.
systemQuery?.addEventListener('change', apply);
apply();

export interface ChartPalette {
  text: string;
  muted: string;
  grid: string;
  axis: string;
  tooltipBg: string;
  /** Series colours, chosen to stay distinguishable for the common colour-vision deficiencies. */
  series: string[];
}

const SERIES_LIGHT = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
const SERIES_DARK = ['#60a5fa', '#fbbf24', '#34d399', '#f87171', '#a78bfa', '#22d3ee', '#f472b6', '#a3e635'];

export function chartPalette(theme: ResolvedTheme): ChartPalette {
  return theme === 'dark'
    ? { text: '#e5e7eb', muted: '#9ca3af', grid: '#2a2f3a', axis: '#4b5563', tooltipBg: '#1f2430', series: SERIES_DARK }
    : { text: '#1f2937', muted: '#6b7280', grid: '#e5e7eb', axis: '#9ca3af', tooltipBg: '#ffffff', series: SERIES_LIGHT };
}
