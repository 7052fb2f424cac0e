// The main window comes back where the user left it: size, position and maximized state are
// kept in <userData>/window-state.json (a UI preference, so it belongs in Electron's userData,
// not in the data home). Written atomically, debounced while the user drags or resizes, and once
// more when the window closes. Restored only when the saved title bar is still on a display: a
// monitor unplugged since would otherwise leave the window off screen.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export const WINDOW_STATE_FILE = 'window-state.json';
/** How long the window must stay still before its bounds are written. */
export const SAVE_DELAY_MS = 500;
/** The top strip of the window (its title bar) that must lie on a display, and how much of it. */
const TITLE_BAR_HEIGHT = 32;
const MIN_VISIBLE_WIDTH = 100;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const rectSchema = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() });
const stateSchema = z.object({ version: z.literal(1), bounds: rectSchema, maximized: z.boolean() });
export type WindowState = z.infer<typeof stateSchema>;

export interface DisplayLike {
  workArea: Rect;
}

export interface SizeDefaults {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

/** Where to open the window. No x/y means "let the system place it" (Electron centres it). */
export interface Placement {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** A saved state, or null for anything that is not one (missing, hand-edited, older format). */
export function parseWindowState(text: string): WindowState | null {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

/** The display whose work area holds enough of the window's title bar to grab it, if any. */
export function displayShowing(bounds: Rect, displays: readonly DisplayLike[]): DisplayLike | undefined {
  const titleBar = { ...bounds, height: Math.min(TITLE_BAR_HEIGHT, bounds.height) };
  return displays.find((d) => {
    const o = overlap(titleBar, d.workArea);
    return o.width >= Math.min(MIN_VISIBLE_WIDTH, bounds.width) && o.height >= titleBar.height;
  });
}

export function placeWindow(saved: WindowState | null, displays: readonly DisplayLike[], defaults: SizeDefaults): Placement {
  const fallback = { width: defaults.width, height: defaults.height, maximized: saved?.maximized ?? false };
  if (saved === null) return fallback;
  const display = displayShowing(saved.bounds, displays);
  if (display === undefined) return fallback;
  // A display whose resolution dropped since: keep the window no larger than its work area.
  const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(value, Math.max(min, max)));
  return {
    x: saved.bounds.x,
    y: saved.bounds.y,
    width: clamp(saved.bounds.width, defaults.minWidth, display.workArea.width),
    height: clamp(saved.bounds.height, defaults.minHeight, display.workArea.height),
    maximized: saved.maximized,
  };
}

export function readWindowState(file: string): WindowState | null {
  try {
    return parseWindowState(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Temp file, fsync, rename: a crash leaves the old state or the new one, never half a file. */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.${WINDOW_STATE_FILE}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(state)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (e) {
    unlinkSync(temp);
    throw e;
  }
}

/** The part of BrowserWindow this module needs. */
export interface TrackedWindowLike {
  // One line per event: BrowserWindow declares each event as its own overload.
  on(event: 'resize', listener: () => void): unknown;
  on(event: 'move', listener: () => void): unknown;
  on(event: 'maximize', listener: () => void): unknown;
  on(event: 'unmaximize', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isDestroyed(): boolean;
}

export function captureWindowState(window: TrackedWindowLike): WindowState {
  // Normal bounds, not the current ones: a maximized window reopens maximized, and un-maximizes
  // to the size the user gave it.
  const b = window.getNormalBounds();
  return { version: 1, bounds: { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) }, maximized: window.isMaximized() };
}

/** Saves the window's state as it changes; returns flush (write now) for tests and shutdown. */
export function trackWindowState(
  window: TrackedWindowLike,
  file: string,
  onError: (error: unknown) => void,
  delayMs: number = SAVE_DELAY_MS,
): { flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (window.isDestroyed()) return;
    try {
      writeWindowState(file, captureWindowState(window));
    } catch (e) {
      onError(e);
    }
  };
  const schedule = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(flush, delayMs);
  };
  window.on('resize', schedule);
  window.on('move', schedule);
  window.on('maximize', schedule);
  window.on('unmaximize', schedule);
  window.on('close', flush);
  window.on('closed', () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  });
  return { flush };
}
