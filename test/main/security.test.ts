import { describe, expect, it } from 'vitest';
import {
  denyAllPermissions,
  hardenWebContents,
  openExternalIfSafe,
  originOf,
  secureWebPreferences,
  trustedOrigins,
  type WebContentsLike,
} from '../../src/main/security';

function fakeShell() {
  const opened: string[] = [];
  return { opened, openExternal: async (url: string) => void opened.push(url) };
}

// Records the listeners hardenWebContents installs, so the test can fire them like Electron would.
function fakeContents() {
  const listeners = new Map<string, (...args: never[]) => void>();
  let windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: WebContentsLike = {
    on(event: string, listener: (...args: never[]) => void) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(handler) {
      windowOpenHandler = handler;
    },
  } as WebContentsLike;
  const fire = (event: string, url?: string) => {
    let prevented = false;
    const listener = listeners.get(event) as ((e: { preventDefault(): void }, url?: string) => void) | undefined;
    if (!listener) throw new Error(`no listener for ${event}`);
    listener({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, openWindow: (url: string) => windowOpenHandler!({ url }) };
}

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer with web security on', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('hardenWebContents', () => {
  it('blocks every navigation and hands https links to the system browser', () => {
    const shell = fakeShell();
    const { contents, fire } = fakeContents();
    hardenWebContents(contents, shell);
    expect(fire('will-navigate', 'https://pytorch.org/docs')).toBe(true);
    expect(fire('will-navigate', 'http://example.com/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'convlab://app/other.html')).toBe(true);
    expect(shell.opened).toEqual(['https://pytorch.org/docs']);
  });

  it('denies every window.open and opens only https externally', () => {
    const shell = fakeShell();
    const { contents, openWindow } = fakeContents();
    hardenWebContents(contents, shell);
    expect(openWindow('https://github.com/')).toEqual({ action: 'deny' });
    expect(openWindow('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(openWindow('smb://host/share')).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://github.com/']);
  });

  it('refuses <webview> tags', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents, fakeShell());
    expect(fire('will-attach-webview')).toBe(true);
  });
});

describe('openExternalIfSafe', () => {
  it('opens https only', () => {
    const shell = fakeShell();
    expect(openExternalIfSafe(shell, 'https://a.example/')).toBe(true);
    expect(openExternalIfSafe(shell, 'http://a.example/')).toBe(false);
    expect(openExternalIfSafe(shell, 'file:///bin/sh')).toBe(false);
    expect(openExternalIfSafe(shell, '::not a url')).toBe(false);
    expect(shell.opened).toEqual(['https://a.example/']);
  });
});

describe('denyAllPermissions', () => {
  it('answers no to every request and every check', () => {
    let requestHandler: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | null = null;
    let checkHandler: ((c: unknown, p: string) => boolean) | null = null;
    denyAllPermissions({
      setPermissionRequestHandler: (h) => (requestHandler = h),
      setPermissionCheckHandler: (h) => (checkHandler = h),
    });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial']) {
      const answers: boolean[] = [];
      requestHandler!(null, permission, (granted) => answers.push(granted));
      expect(answers).toEqual([false]);
      expect(checkHandler!(null, permission)).toBe(false);
    }
  });
});

describe('trustedOrigins / originOf', () => {
  it('trusts the app scheme, plus the dev server only when one is given', () => {
    expect(trustedOrigins(undefined)).toEqual(['convlab://app']);
    expect(trustedOrigins('http://localhost:5173/')).toEqual(['convlab://app', 'http://localhost:5173']);
  });

  it('builds an origin for the custom scheme too', () => {
    expect(originOf('convlab://app/index.html#x')).toBe('convlab://app');
    expect(originOf('nonsense')).toBeNull();
  });
});
