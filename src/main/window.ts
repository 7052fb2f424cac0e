// The main window. Its webPreferences come from security.ts; this file only decides size,
// what to load, and when to show it.

import { secureWebPreferences } from './security';

export interface BrowserWindowOptionsLike {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  webPreferences: ReturnType<typeof secureWebPreferences>;
}

export function mainWindowOptions(preloadPath: string): BrowserWindowOptionsLike {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    title: 'Conv Lab',
    backgroundColor: '#14161a',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath),
  };
}

export interface WindowLike {
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  loadURL(url: string): Promise<void>;
}

export type WindowFactory<W extends WindowLike> = new (options: BrowserWindowOptionsLike) => W;

export async function openMainWindow<W extends WindowLike>(
  BrowserWindowClass: WindowFactory<W>,
  preloadPath: string,
  url: string,
): Promise<W> {
  const window = new BrowserWindowClass(mainWindowOptions(preloadPath));
  window.once('ready-to-show', () => window.show());
  await window.loadURL(url);
  return window;
}
