// Boots src/main/index.ts against a recording stand-in for the 'electron' module (Electron
// itself cannot run here) and checks the wiring: what happens before 'ready', what after.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const log: string[] = [];
const state = vi.hoisted(() => ({
  readyResolve: (() => {}) as () => void,
  ipcHandlers: new Map<string, (...args: unknown[]) => unknown>(),
  appListeners: new Map<string, (...args: unknown[]) => void>(),
  windows: [] as { options: Record<string, unknown>; url: string }[],
  permissionRequest: null as null | ((c: unknown, p: string, cb: (g: boolean) => void) => void),
  protocolHandler: null as null | ((r: Request) => Promise<Response>),
}));

vi.mock('electron', () => {
  const record = (entry: string) => log.push(entry);
  const ready = new Promise<void>((resolve) => (state.readyResolve = resolve));
  class BrowserWindow {
    webContents = { isDestroyed: () => false, send: () => {} };
    entry: { options: Record<string, unknown>; url: string };
    constructor(options: Record<string, unknown>) {
      this.entry = { options, url: '' };
      state.windows.push(this.entry);
      record('new BrowserWindow');
    }
    once() {}
    show() {}
    async loadURL(url: string) {
      this.entry.url = url;
    }
    static getAllWindows() {
      return [];
    }
    static getFocusedWindow() {
      return null;
    }
  }
  return {
    app: {
      commandLine: { appendSwitch: (name: string, value?: string) => record(`switch ${name}${value ? `=${value}` : ''}`) },
      enableSandbox: () => record('enableSandbox'),
      on: (event: string, listener: (...args: unknown[]) => void) => void state.appListeners.set(event, listener),
      whenReady: () => ready,
      getVersion: () => '0.1.0',
      // userData is the lab service's home; nothing is written there unless a method is called.
      getPath: (name: string) => `/nonexistent/convlab-test-${name}`,
      quit: () => {},
      exit: (code: number) => record(`exit ${code}`),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) =>
        record(`registerSchemesAsPrivileged ${schemes.map((s) => s.scheme).join(',')}`),
      handle: (scheme: string, handler: (r: Request) => Promise<Response>) => {
        state.protocolHandler = handler;
        record(`protocol.handle ${scheme}`);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof state.permissionRequest) => {
          state.permissionRequest = h;
          record('setPermissionRequestHandler');
        },
        setPermissionCheckHandler: () => record('setPermissionCheckHandler'),
      },
    },
    ipcMain: { handle: (channel: string, listener: (...args: unknown[]) => unknown) => void state.ipcHandlers.set(channel, listener) },
    net: { fetch: async () => new Response('') },
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }) },
    shell: { openExternal: async () => {} },
    BrowserWindow,
  };
});

import { labMethodNames } from '../../src/shared/labApi';

describe('src/main/index.ts wiring', () => {
  const savedDevUrl = process.env.ELECTRON_RENDERER_URL;
  beforeAll(async () => {
    delete process.env.ELECTRON_RENDERER_URL;
    await import('../../src/main/index');
  });
  afterAll(() => {
    if (savedDevUrl !== undefined) process.env.ELECTRON_RENDERER_URL = savedDevUrl;
  });

  it('sets GPU switches, the sandbox and the scheme before ready, and nothing else yet', () => {
    expect(log).toContain('enableSandbox');
    expect(log).toContain('switch enable-unsafe-webgpu');
    expect(log).toContain('switch disable-dawn-features=timestamp_quantization');
    expect(log).toContain('registerSchemesAsPrivileged convlab');
    expect(log).not.toContain('new BrowserWindow');
    expect(log).not.toContain('protocol.handle convlab');
    expect(state.ipcHandlers.size).toBe(0);
    expect(state.appListeners.has('web-contents-created')).toBe(true);
  });

  it('after ready: denies permissions, serves the scheme, registers IPC, opens a secure window', async () => {
    state.readyResolve();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    expect(log).toContain('setPermissionRequestHandler');
    expect(log).toContain('setPermissionCheckHandler');
    expect(log).toContain('protocol.handle convlab');
    expect(log).not.toContain('exit 1');
    expect([...state.ipcHandlers.keys()].sort()).toEqual(labMethodNames().map((n) => `lab:${n}`).sort());

    const [window] = state.windows;
    expect(window!.url).toBe('convlab://app/index.html');
    expect(window!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(String((window!.options.webPreferences as { preload: string }).preload)).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('answers app.info for our page and refuses a foreign one', async () => {
    const handler = state.ipcHandlers.get('lab:app.info')!;
    const info = await handler({ senderFrame: { url: 'convlab://app/index.html', parent: null } });
    expect(info).toMatchObject({ version: '0.1.0', platform: process.platform });
    await expect(handler({ senderFrame: { url: 'https://evil.example/', parent: null } })).rejects.toThrow(/untrusted/);
  });

  it('denies a permission request through the installed handler', () => {
    const answers: boolean[] = [];
    state.permissionRequest!(null, 'media', (granted) => answers.push(granted));
    expect(answers).toEqual([false]);
  });

  it('refuses a path outside the renderer folder through the installed protocol handler', async () => {
    const response = await state.protocolHandler!(new Request('convlab://app/..%2F..%2Fpackage.json'));
    expect(response.status).toBe(403);
  });
});
