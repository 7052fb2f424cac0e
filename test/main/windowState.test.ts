import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  displayShowing,
  parseWindowState,
  placeWindow,
  readWindowState,
  trackWindowState,
  WINDOW_STATE_FILE,
  type Rect,
  type WindowState,
} from '../../src/main/windowState';
import { MAIN_WINDOW_SIZE } from '../../src/main/window';

const laptop = { workArea: { x: 0, y: 0, width: 1440, height: 870 } };
const rightMonitor = { workArea: { x: 1440, y: -200, width: 2560, height: 1400 } };
const saved = (bounds: Rect, maximized = false): WindowState => ({ version: 1, bounds, maximized });

describe('placeWindow', () => {
  it('opens at the default size, centred, without a saved state', () => {
    expect(placeWindow(null, [laptop], MAIN_WINDOW_SIZE)).toEqual({ width: 1280, height: 820, maximized: false });
  });

  it('restores position, size and maximized state on a display that is still there', () => {
    const state = saved({ x: 1600, y: 0, width: 1500, height: 1000 }, true);
    expect(placeWindow(state, [laptop, rightMonitor], MAIN_WINDOW_SIZE)).toEqual({ x: 1600, y: 0, width: 1500, height: 1000, maximized: true });
  });

  it('falls back to the default place when the monitor it was on is gone, keeping maximized', () => {
    const state = saved({ x: 1600, y: 0, width: 1500, height: 1000 }, true);
    expect(placeWindow(state, [laptop], MAIN_WINDOW_SIZE)).toEqual({ width: 1280, height: 820, maximized: true });
  });

  it('needs the title bar on screen, not just a corner of the window', () => {
    // Top edge above the work area: only the body is visible, the title bar cannot be grabbed.
    expect(displayShowing({ x: 100, y: -400, width: 1000, height: 800 }, [laptop])).toBeUndefined();
    // 60 px of the title bar at the right edge of the laptop: too little to grab.
    expect(displayShowing({ x: 1380, y: 100, width: 1000, height: 800 }, [laptop])).toBeUndefined();
    // 200 px of it: fine.
    expect(displayShowing({ x: 1240, y: 100, width: 1000, height: 800 }, [laptop])).toBe(laptop);
  });

  it('shrinks a window larger than its display (resolution lowered) but never below the minimum', () => {
    expect(placeWindow(saved({ x: 0, y: 0, width: 3000, height: 2000 }), [laptop], MAIN_WINDOW_SIZE)).toMatchObject({ width: 1440, height: 870 });
    expect(placeWindow(saved({ x: 0, y: 0, width: 300, height: 200 }), [laptop], MAIN_WINDOW_SIZE)).toMatchObject({ width: 900, height: 600 });
  });
});

describe('parseWindowState', () => {
  it('accepts its own format and refuses anything else', () => {
    const good = saved({ x: -1200, y: 40, width: 1000, height: 700 });
    expect(parseWindowState(JSON.stringify(good))).toEqual(good);
    expect(parseWindowState('{"version":2,"bounds":{"x":0,"y":0,"width":10,"height":10},"maximized":false}')).toBeNull();
    expect(parseWindowState('{"version":1,"bounds":{"x":0,"y":0,"width":-5,"height":10},"maximized":false}')).toBeNull();
    expect(parseWindowState('{"version":1,"bounds":{"x":"0"}}')).toBeNull();
    expect(parseWindowState('not json')).toBeNull();
  });
});

/** A window that records listeners, like BrowserWindow's EventEmitter. */
function fakeWindow(bounds: Rect) {
  const listeners = new Map<string, Array<() => void>>();
  const state = { bounds, maximized: false, destroyed: false };
  return {
    state,
    emit: (event: string) => listeners.get(event)?.forEach((l) => l()),
    window: {
      on: (event: string, listener: () => void) => void listeners.set(event, [...(listeners.get(event) ?? []), listener]),
      getNormalBounds: () => state.bounds,
      isMaximized: () => state.maximized,
      isDestroyed: () => state.destroyed,
    },
  };
}

describe('trackWindowState', () => {
  let dir = '';
  afterEach(async () => {
    vi.useRealTimers();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes once the window has been still for the delay, and again on close; reads back the same', async () => {
    vi.useFakeTimers();
    dir = await mkdtemp(join(tmpdir(), 'convlab-winstate-'));
    const file = join(dir, 'userData', WINDOW_STATE_FILE);
    const w = fakeWindow({ x: 10, y: 20, width: 1000, height: 700 });
    const errors: unknown[] = [];
    trackWindowState(w.window, file, (e) => errors.push(e), 500);

    w.emit('move');
    vi.advanceTimersByTime(300);
    w.state.bounds = { x: 30, y: 40, width: 1100, height: 750.4 };
    w.emit('resize'); // restarts the delay
    vi.advanceTimersByTime(300);
    expect(readWindowState(file)).toBeNull();
    vi.advanceTimersByTime(200);
    expect(readWindowState(file)).toEqual(saved({ x: 30, y: 40, width: 1100, height: 750 }));

    w.state.maximized = true;
    w.emit('maximize');
    w.emit('close'); // written at once, not after the delay
    expect(readWindowState(file)).toEqual(saved({ x: 30, y: 40, width: 1100, height: 750 }, true));
    expect(await readdir(join(dir, 'userData'))).toEqual([WINDOW_STATE_FILE]); // no temp file left
    expect(errors).toEqual([]);
  });

  it('does not touch a destroyed window when a pending save fires, and reports write errors', async () => {
    vi.useFakeTimers();
    dir = await mkdtemp(join(tmpdir(), 'convlab-winstate-'));
    await writeFile(join(dir, 'blocker'), 'a file where userData should be');
    const errors: unknown[] = [];
    const w = fakeWindow({ x: 0, y: 0, width: 1000, height: 700 });
    const tracker = trackWindowState(w.window, join(dir, 'blocker', WINDOW_STATE_FILE), (e) => errors.push(e));
    tracker.flush();
    expect(errors).toHaveLength(1);

    w.emit('move');
    w.state.destroyed = true;
    w.window.getNormalBounds = () => { throw new Error('Object has been destroyed'); };
    vi.advanceTimersByTime(1000);
    expect(errors).toHaveLength(1);
  });

  it('a hand-edited file is ignored, not fatal', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convlab-winstate-'));
    await writeFile(join(dir, WINDOW_STATE_FILE), '{"version":1,');
    expect(readWindowState(join(dir, WINDOW_STATE_FILE))).toBeNull();
    expect(await readFile(join(dir, WINDOW_STATE_FILE), 'utf8')).toBe('{"version":1,');
  });
});
