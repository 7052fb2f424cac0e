// Electron's security checklist, applied in one place. Each function takes the Electron
// objects it works on as parameters so tests can hand in recorders instead of a live app.

import { APP_ORIGIN } from './appScheme';

/**
 * webPreferences for every Conv Lab window. The renderer shows data from user files and is
 * treated as untrusted: no Node, a sandboxed preload, and an isolated world between them.
 * `devTools: false` (packaged builds) also refuses DevTools opened any other way than the menu.
 */
export function secureWebPreferences(preloadPath: string, options: { devTools?: boolean } = {}) {
  return {
    preload: preloadPath,
    devTools: options.devTools ?? true,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const;
}

/** Origins whose pages may be shown and may talk to main: the app scheme, plus the dev server in `npm run dev`. */
export function trustedOrigins(devServerUrl: string | undefined): string[] {
  const origins = [APP_ORIGIN];
  if (devServerUrl) origins.push(new URL(devServerUrl).origin);
  return origins;
}

/** Origin of a URL, or null for unparsable ones. Non-special schemes report "null" as URL.origin, so build it. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export interface ShellLike {
  openExternal(url: string): Promise<void>;
}

/** Only https links leave the app, and only to the user's browser. */
export function openExternalIfSafe(shell: ShellLike, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:') return false;
  void shell.openExternal(parsed.toString());
  return true;
}

interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsLike {
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * The page never navigates and never opens windows: it is a single-page app, so any
 * navigation would put foreign content in a window that holds the preload's API. A clicked
 * https link goes to the system browser instead; everything else is dropped.
 */
export function hardenWebContents(contents: WebContentsLike, shell: ShellLike): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternalIfSafe(shell, url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfSafe(shell, url);
    return { action: 'deny' };
  });
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
  ): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
}

/**
 * Conv Lab needs no camera, microphone, notifications, geolocation, HID, serial or USB.
 * WebGPU is not a permission, so denying everything costs nothing.
 */
export function denyAllPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
