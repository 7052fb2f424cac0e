import { describe, expect, it } from 'vitest';
import { bringToFront, claimSingleInstance } from '../../src/main/singleInstance';

function fakeApp(gotLock: boolean) {
  const calls: string[] = [];
  let secondInstance: (() => void) | undefined;
  return {
    calls,
    launchAgain: () => secondInstance!(),
    app: {
      requestSingleInstanceLock: () => (calls.push('lock'), gotLock),
      quit: () => void calls.push('quit'),
      on: (_event: 'second-instance', l: () => void) => void (secondInstance = l),
    },
  };
}

function fakeWindow(minimized: boolean, visible: boolean) {
  const calls: string[] = [];
  return {
    calls,
    window: {
      isDestroyed: () => false,
      isMinimized: () => minimized,
      isVisible: () => visible,
      restore: () => void calls.push('restore'),
      show: () => void calls.push('show'),
      focus: () => void calls.push('focus'),
    },
  };
}

describe('single instance', () => {
  it('a second launch quits at once', () => {
    const a = fakeApp(false);
    expect(claimSingleInstance(a.app, () => null)).toBe(false);
    expect(a.calls).toEqual(['lock', 'quit']);
  });

  it('the first instance brings its window forward when launched again', () => {
    const a = fakeApp(true);
    const w = fakeWindow(true, true);
    expect(claimSingleInstance(a.app, () => w.window)).toBe(true);
    expect(a.calls).toEqual(['lock']);
    a.launchAgain();
    expect(w.calls).toEqual(['restore', 'focus']);
  });

  it('shows a hidden window, and does nothing before the window exists', () => {
    const w = fakeWindow(false, false);
    bringToFront(w.window);
    expect(w.calls).toEqual(['show', 'focus']);
    const a = fakeApp(true);
    claimSingleInstance(a.app, () => null);
    expect(() => a.launchAgain()).not.toThrow();
  });
});
