// One Conv Lab per user. Two instances would share one home (two writers on one run store, two
// trainings fighting for the GPU) and one Chromium profile. Electron's lock is keyed on the
// userData folder, so the app name must be set before asking for it (see index.ts).

export interface SingleInstanceAppLike {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
}

export interface FocusableWindowLike {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  isVisible(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/** Brings the window to the front the way the user left it: un-minimized, visible, focused. */
export function bringToFront(window: FocusableWindowLike): void {
  if (window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}

/**
 * Returns true in the first instance, which from then on answers a second launch by bringing
 * its window forward; returns false (after asking the app to quit) in a second instance, which
 * must then do nothing else.
 */
export function claimSingleInstance(app: SingleInstanceAppLike, mainWindow: () => FocusableWindowLike | null): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const window = mainWindow();
    if (window) bringToFront(window);
  });
  return true;
}
