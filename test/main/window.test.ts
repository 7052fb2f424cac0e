import { describe, expect, it } from 'vitest';
import { mainWindowOptions, openMainWindow, type BrowserWindowOptionsLike } from '../../src/main/window';

describe('main window', () => {
  it('opens at a restored place, and centred at the default size without one', () => {
    expect(mainWindowOptions('/p.cjs')).toMatchObject({ width: 1280, height: 820, minWidth: 900, minHeight: 600, show: false });
    expect(mainWindowOptions('/p.cjs')).not.toHaveProperty('x');
    expect(mainWindowOptions('/p.cjs', { placement: { x: -1000, y: 20, width: 1000, height: 700, maximized: false } })).toMatchObject({ x: -1000, y: 20, width: 1000, height: 700 });
  });

  it('turns DevTools off when asked (packaged builds) and keeps every security setting', () => {
    const prefs = mainWindowOptions('/p.cjs', { devTools: false }).webPreferences;
    expect(prefs).toMatchObject({ devTools: false, contextIsolation: true, sandbox: true, nodeIntegration: false, preload: '/p.cjs' });
    expect(mainWindowOptions('/p.cjs').webPreferences.devTools).toBe(true);
  });

  it('installs guards before loading, maximizes a window saved maximized, and shows it when ready', async () => {
    const log: string[] = [];
    class FakeWindow {
      ready: () => void = () => {};
      constructor(public options: BrowserWindowOptionsLike) { log.push('new'); }
      once(_e: 'ready-to-show', l: () => void) { this.ready = l; }
      show() { log.push('show'); }
      maximize() { log.push('maximize'); }
      async loadURL(url: string) { log.push(`load ${url}`); this.ready(); }
    }
    const w = await openMainWindow(FakeWindow, '/p.cjs', 'convlab://app/index.html',
      { placement: { width: 1000, height: 700, maximized: true } }, () => void log.push('prepare'));
    expect(w).toBeInstanceOf(FakeWindow);
    expect(log).toEqual(['new', 'prepare', 'load convlab://app/index.html', 'maximize', 'show']);
  });
});
