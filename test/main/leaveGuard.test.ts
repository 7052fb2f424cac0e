import { describe, expect, it } from 'vitest';
import { guardLeavingWhileTraining, LEAVE, leaveDialogOptions, STAY } from '../../src/main/leaveGuard';

/** A window whose page emits 'will-prevent-unload' as Electron does when beforeunload cancels. */
function fakeWindow() {
  let listener: ((event: { preventDefault(): void }) => void) | undefined;
  const window = {
    webContents: { on: (_event: 'will-prevent-unload', l: typeof listener) => void (listener = l) },
  };
  /** Fires the event the way a reload, a window close or a quit does; returns whether unloading goes ahead. */
  const tryToLeave = () => {
    let allowed = false;
    listener!({ preventDefault: () => void (allowed = true) });
    return allowed;
  };
  return { window, tryToLeave };
}

describe('leave-while-training question', () => {
  it('asks modally, and Leave lets the reload / close / quit go ahead', () => {
    const { window, tryToLeave } = fakeWindow();
    const asked: unknown[] = [];
    const choices: string[] = [];
    guardLeavingWhileTraining(window, { showMessageBoxSync: (w, options) => (asked.push({ w, options }), LEAVE) }, (c) => void choices.push(c));
    expect(tryToLeave()).toBe(true);
    expect(asked).toEqual([{ w: window, options: leaveDialogOptions() }]);
    expect(choices).toEqual(['leave']);
  });

  it('Stay (or Escape, which is the cancel button) keeps the page and the run', () => {
    const { window, tryToLeave } = fakeWindow();
    const choices: string[] = [];
    guardLeavingWhileTraining(window, { showMessageBoxSync: () => STAY }, (c) => void choices.push(c));
    expect(tryToLeave()).toBe(false);
    expect(tryToLeave()).toBe(false); // asked again on every attempt
    expect(choices).toEqual(['stay', 'stay']);
  });

  it('says the run is kept as interrupted and can be resumed, with Stay as the default', () => {
    const o = leaveDialogOptions();
    expect(o.buttons).toEqual(['Leave', 'Stay']);
    expect(o.defaultId).toBe(STAY);
    expect(o.cancelId).toBe(STAY);
    expect(o.detail).toMatch(/kept as "interrupted"/);
    expect(o.detail).toMatch(/resume it from its last checkpoint/);
  });
});
