// Boots src/main/index.ts against a recording stand-in for the 'electron' module (Electron
// itself cannot run here) and checks the wiring: what happens before 'ready', what after, on
// real temp folders for the home, the logs and userData. Each scenario re-imports the entry
// with a fresh module registry and a fresh fake app.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

const state = vi.hoisted(() => ({
  log: [] as string[],
  ready: Promise.resolve(),
  readyResolve: () => {},
  gotLock: true,
  isPackaged: false,
  paths: {} as Record<string, string>,
  ipcHandlers: new Map<string, Listener>(),
  appListeners: new Map<string, Listener[]>(),
  windows: [] as Array<{
    options: Record<string, unknown>;
    url: string;
    listeners: Map<string, Listener[]>;
    contentsListeners: Map<string, Listener[]>;
    calls: string[];
  }>,
  menus: [] as unknown[],
  messageBoxSyncAnswer: 0,
  errorBoxes: [] as Array<{ title: string; content: string }>,
  loadFails: false,
  permissionRequest: null as null | ((c: unknown, p: string, cb: (g: boolean) => void) => void),
  protocolHandler: null as null | ((r: Request) => Promise<Response>),
}));

function resetFakeApp(opts: { gotLock?: boolean; isPackaged?: boolean; paths: Record<string, string>; loadFails?: boolean }) {
  state.log = [];
  state.ready = new Promise<void>((resolve) => (state.readyResolve = resolve));
  state.gotLock = opts.gotLock ?? true;
  state.isPackaged = opts.isPackaged ?? false;
  state.paths = opts.paths;
  state.ipcHandlers = new Map();
  state.appListeners = new Map();
  state.windows = [];
  state.menus = [];
  state.errorBoxes = [];
  state.loadFails = opts.loadFails ?? false;
}

vi.mock('electron', () => {
  const record = (entry: string) => state.log.push(entry);
  const add = (map: Map<string, Listener[]>, event: string, listener: Listener) => map.set(event, [...(map.get(event) ?? []), listener]);
  class BrowserWindow {
    entry: (typeof state.windows)[number];
    webContents: { isDestroyed(): boolean; send(): void; on(event: string, l: Listener): void };
    constructor(options: Record<string, unknown>) {
      const entry = { options, url: '', listeners: new Map(), contentsListeners: new Map(), calls: [] as string[] };
      this.entry = entry;
      this.webContents = { isDestroyed: () => false, send: () => {}, on: (event, l) => add(entry.contentsListeners, event, l) };
      state.windows.push(entry);
      record('new BrowserWindow');
    }
    on(event: string, l: Listener) { add(this.entry.listeners, event, l); }
    once(event: string, l: Listener) { add(this.entry.listeners, event, l); }
    show() { this.entry.calls.push('show'); }
    focus() { this.entry.calls.push('focus'); }
    restore() { this.entry.calls.push('restore'); }
    maximize() { this.entry.calls.push('maximize'); }
    isMinimized() { return true; }
    isVisible() { return true; }
    isMaximized() { return false; }
    isDestroyed() { return false; }
    getNormalBounds() { return { x: 40, y: 30, width: 1100, height: 700 }; }
    async loadURL(url: string) {
      if (state.loadFails) throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`);
      this.entry.url = url;
    }
    static getAllWindows() { return []; }
    static getFocusedWindow() { return null; }
  }
  return {
    app: {
      commandLine: { appendSwitch: (name: string, value?: string) => record(`switch ${name}${value ? `=${value}` : ''}`) },
      setName: (name: string) => record(`setName ${name}`),
      requestSingleInstanceLock: () => (record('requestSingleInstanceLock'), state.gotLock),
      enableSandbox: () => record('enableSandbox'),
      on: (event: string, listener: Listener) => add(state.appListeners, event, listener),
      whenReady: () => state.ready,
      getVersion: () => '0.1.0',
      getAppPath: () => process.cwd(),
      get isPackaged() { return state.isPackaged; },
      getPath: (name: string) => {
        const path = state.paths[name];
        if (!path) throw new Error(`getPath(${name}) not set up in this test`);
        return path;
      },
      quit: () => record('quit'),
      exit: (code: number) => record(`exit ${code}`),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) => record(`registerSchemesAsPrivileged ${schemes.map((s) => s.scheme).join(',')}`),
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
    ipcMain: { handle: (channel: string, listener: Listener) => void state.ipcHandlers.set(channel, listener) },
    net: { fetch: async () => new Response('') },
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: unknown) => void state.menus.push(menu),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    clipboard: { writeText: () => {} },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true }),
      showMessageBox: async () => ({ response: 0 }),
      showMessageBoxSync: () => state.messageBoxSyncAnswer,
      showErrorBox: (title: string, content: string) => void state.errorBoxes.push({ title, content }),
    },
    shell: { openExternal: async () => {}, openPath: async () => '' },
    BrowserWindow,
  };
});

const fire = (map: Map<string, Listener[]>, event: string, ...args: unknown[]) => map.get(event)?.forEach((l) => l(...args));
const rolesOf = (menu: unknown): string[] => {
  const walk = (items: Array<{ role?: string; submenu?: unknown[] }>): string[] =>
    items.flatMap((i) => [...(i.role ? [i.role] : []), ...walk((i.submenu ?? []) as typeof items)]);
  return walk((menu as { template: Array<{ role?: string }> }).template);
};

let dir = '';
const savedEnv = { ...process.env };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convlab-main-'));
  delete process.env.ELECTRON_RENDERER_URL;
});
afterAll(async () => {
  process.env = savedEnv;
  await rm(dir, { recursive: true, force: true });
});

async function boot(name: string, opts: Omit<Parameters<typeof resetFakeApp>[0], 'paths'> = {}) {
  const root = join(dir, name);
  const paths = { userData: join(root, 'config', 'Conv Lab'), logs: join(root, 'config', 'Conv Lab', 'logs') };
  resetFakeApp({ ...opts, paths });
  vi.resetModules();
  await import('../../src/main/index');
  return { root, ...paths };
}

describe('src/main/index.ts, first instance with CONVLAB_HOME set', () => {
  let paths: Awaited<ReturnType<typeof boot>>;
  beforeAll(async () => {
    process.env.CONVLAB_HOME = join(dir, 'chosen-home');
    paths = await boot('primary');
  });

  it('names the app before taking the single-instance lock, then sets switches, sandbox and scheme; nothing else before ready', () => {
    expect(state.log.slice(0, 3)).toEqual(['setName Conv Lab', 'requestSingleInstanceLock', 'enableSandbox']);
    expect(state.log).toContain('switch enable-unsafe-webgpu');
    expect(state.log).toContain('switch disable-dawn-features=timestamp_quantization');
    expect(state.log).toContain('registerSchemesAsPrivileged convlab');
    expect(state.log).not.toContain('new BrowserWindow');
    expect(state.log).not.toContain('protocol.handle convlab');
    expect(state.ipcHandlers.size).toBe(0);
    expect(state.appListeners.has('web-contents-created')).toBe(true);
  });

  it('after ready: denies permissions, serves the scheme, registers IPC, installs the menu, opens a secure window', async () => {
    const { labMethodNames } = await import('../../src/shared/labApi');
    state.readyResolve();
    await vi.waitFor(() => expect(state.windows[0]?.url).toBe('convlab://app/index.html'));
    expect(state.log).toContain('setPermissionRequestHandler');
    expect(state.log).toContain('setPermissionCheckHandler');
    expect(state.log).toContain('protocol.handle convlab');
    expect(state.log).not.toContain('exit 1');
    expect([...state.ipcHandlers.keys()].sort()).toEqual(labMethodNames().map((n) => `lab:${n}`).sort());
    const [window] = state.windows;
    expect(window!.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: true });
    expect(String((window!.options.webPreferences as { preload: string }).preload)).toMatch(/preload[\\/]index\.cjs$/);
    // Development build: the menu keeps reload and DevTools.
    expect(state.menus).toHaveLength(1);
    expect(rolesOf(state.menus[0])).toEqual(expect.arrayContaining(['reload', 'toggleDevTools', 'editMenu', 'windowMenu', 'help']));
  });

  it('keeps runs and datasets in CONVLAB_HOME', async () => {
    const set = state.ipcHandlers.get('lab:settings.set')!;
    await set({ senderFrame: { url: 'convlab://app/index.html', parent: null } }, { theme: 'dark' });
    expect(JSON.parse(await readFile(join(dir, 'chosen-home', 'settings.json'), 'utf8'))).toMatchObject({ theme: 'dark' });
  });

  it('answers app.info for our page and refuses a foreign one', async () => {
    const handler = state.ipcHandlers.get('lab:app.info')!;
    const info = await handler({ senderFrame: { url: 'convlab://app/index.html', parent: null } });
    expect(info).toMatchObject({ version: '0.1.0', platform: process.platform });
    await expect(handler({ senderFrame: { url: 'https://evil.example/', parent: null } }) as Promise<unknown>).rejects.toThrow(/untrusted/);
  });

  it('asks before a reload or close while training: Leave lets it go, Stay keeps the page', () => {
    const contents = state.windows[0]!.contentsListeners;
    const attempt = () => {
      let allowed = false;
      fire(contents, 'will-prevent-unload', { preventDefault: () => (allowed = true) });
      return allowed;
    };
    state.messageBoxSyncAnswer = 1;
    expect(attempt()).toBe(false);
    state.messageBoxSyncAnswer = 0;
    expect(attempt()).toBe(true);
  });

  it('a second launch restores and focuses the window', () => {
    fire(state.appListeners, 'second-instance', {}, [], '/');
    expect(state.windows[0]!.calls).toEqual(expect.arrayContaining(['restore', 'focus']));
  });

  it('saves the window place in userData when it closes', async () => {
    fire(state.windows[0]!.listeners, 'close', { preventDefault: () => {} });
    const saved = JSON.parse(await readFile(join(paths.userData, 'window-state.json'), 'utf8'));
    expect(saved).toEqual({ version: 1, bounds: { x: 40, y: 30, width: 1100, height: 700 }, maximized: false });
  });

  it('cancels the service jobs only once the windows have closed (will-quit, not before-quit)', () => {
    expect(state.appListeners.has('will-quit')).toBe(true);
    expect(state.appListeners.has('before-quit')).toBe(false);
  });

  it('denies a permission request and refuses a path outside the renderer folder', async () => {
    const answers: boolean[] = [];
    state.permissionRequest!(null, 'media', (granted) => answers.push(granted));
    expect(answers).toEqual([false]);
    const response = await state.protocolHandler!(new Request('convlab://app/..%2F..%2Fpackage.json'));
    expect(response.status).toBe(403);
  });
});

describe('src/main/index.ts, packaged, default home with an older one to move', () => {
  it('uses the same home as the CLI, moves the older one into it once and logs that', async () => {
    const root = join(dir, 'default-home');
    delete process.env.CONVLAB_HOME;
    process.env.XDG_CONFIG_HOME = join(root, 'config');
    process.env.XDG_DATA_HOME = join(root, 'data');
    const old = join(root, 'config', 'conv-lab');
    await mkdir(join(old, 'runs', 'run-1'), { recursive: true });
    await writeFile(join(old, 'runs', 'run-1', 'manifest.json'), '{}');
    const { resolveHome } = await import('../../src/main/services/home');
    expect(resolveHome()).toBe(old); // the CLI, before the app has run

    const paths = await boot('default-home', { isPackaged: true });
    state.readyResolve();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    const target = join(root, 'data', 'Conv Lab');
    expect(await readdir(join(target, 'runs'))).toEqual(['run-1']);
    expect(resolveHome()).toBe(target); // the CLI, after
    expect(await readFile(join(paths.logs, 'main.log'), 'utf8')).toMatch(/INFO Moved runs from .*conv-lab to .*data\/Conv Lab/);
    const set = state.ipcHandlers.get('lab:settings.set')!;
    await set({ senderFrame: { url: 'convlab://app/index.html', parent: null } }, { theme: 'light' });
    expect(existsSync(join(target, 'settings.json'))).toBe(true);

    // Packaged: no reload or DevTools in the menu, and none in the window either.
    expect(rolesOf(state.menus[0])).not.toContain('reload');
    expect(rolesOf(state.menus[0])).not.toContain('toggleDevTools');
    expect(state.windows[0]!.options.webPreferences).toMatchObject({ devTools: false });
  });
});

describe('src/main/index.ts, second instance', () => {
  it('quits at once: no sandbox switch, no scheme, no window', async () => {
    process.env.CONVLAB_HOME = join(dir, 'chosen-home');
    await boot('second', { gotLock: false });
    state.readyResolve();
    await new Promise((r) => setTimeout(r, 50));
    expect(state.log).toEqual(['setName Conv Lab', 'requestSingleInstanceLock', 'quit']);
    expect(state.windows).toHaveLength(0);
  });
});

describe('src/main/index.ts, startup failure', () => {
  it('shows an error box naming the log, writes time, versions and stack there, and exits 1', async () => {
    process.env.CONVLAB_HOME = join(dir, 'chosen-home');
    const paths = await boot('failing', { loadFails: true });
    state.readyResolve();
    await vi.waitFor(() => expect(state.log).toContain('exit 1'));
    expect(state.errorBoxes).toHaveLength(1);
    expect(state.errorBoxes[0]!.title).toBe('Conv Lab could not start');
    expect(state.errorBoxes[0]!.content).toContain('ERR_FILE_NOT_FOUND');
    expect(state.errorBoxes[0]!.content).toContain(join(paths.logs, 'main.log'));
    const logged = await readFile(join(paths.logs, 'main.log'), 'utf8');
    expect(logged).toMatch(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] ERROR Conv Lab could not start\n  Conv Lab 0\.1\.0 · .*Node /);
    expect(logged).toMatch(/Error: ERR_FILE_NOT_FOUND[^\n]*\n\s+at /);
  });
});
