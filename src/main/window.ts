// The main window. Its webPreferences come from security.ts and its place from windowState.ts;
// this file only assembles the options, and decides what to load and when to show it.

import { secureWebPreferences } from './security';
import type { Placement, SizeDefaults } from './windowState';

export const MAIN_WINDOW_SIZE: SizeDefaults = { width: 1280, height: 820, minWidth: 900, minHeight: 600 };

export interface BrowserWindowOptionsLike {
  x?: number;
  y?: number;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  icon?: string;
  webPreferences: ReturnType<typeof secureWebPreferences>;
}

export interface MainWindowSettings {
  /** Where to open (windowState.placeWindow); the default size, centred, when absent. */
  placement?: Placement;
  /** False in packaged builds. */
  devTools?: boolean;
  /** PNG for the window and taskbar on Linux and Windows (macOS takes the bundle's icon). */
  icon?: string;
}

export function mainWindowOptions(preloadPath: string, settings: MainWindowSettings = {}): BrowserWindowOptionsLike {
  const place = settings.placement;
  return {
    ...(place?.x !== undefined && place.y !== undefined ? { x: place.x, y: place.y } : {}),
    width: place?.width ?? MAIN_WINDOW_SIZE.width,
    height: place?.height ?? MAIN_WINDOW_SIZE.height,
    minWidth: MAIN_WINDOW_SIZE.minWidth,
    minHeight: MAIN_WINDOW_SIZE.minHeight,
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    title: 'Conv Lab',
    backgroundColor: '#14161a',
    autoHideMenuBar: true,
    ...(settings.icon ? { icon: settings.icon } : {}),
    webPreferences: secureWebPreferences(preloadPath, { devTools: settings.devTools }),
  };
}

export interface WindowLike {
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  maximize(): void;
  loadURL(url: string): Promise<void>;
}

export type WindowFactory<W extends WindowLike> = new (options: BrowserWindowOptionsLike) => W;

/**
 * Creates the window and starts loading the page. `prepare` runs before the load starts, so the
 * guards it installs (leave confirmation, state tracking) are there before the page can run.
 */
export async function openMainWindow<W extends WindowLike>(
  BrowserWindowClass: WindowFactory<W>,
  preloadPath: string,
  url: string,
  settings: MainWindowSettings = {},
  prepare: (window: W) => void = () => {},
): Promise<W> {
  const window = new BrowserWindowClass(mainWindowOptions(preloadPath, settings));
  prepare(window);
  window.once('ready-to-show', () => {
    if (settings.placement?.maximized) window.maximize();
    window.show();
  });
  await window.loadURL(url);
  return window;
}
