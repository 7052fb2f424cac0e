// Asks before the page goes away while a run is training.
//
// The renderer registers a `beforeunload` handler that cancels the unload while a run is
// active. In Electron a cancelled beforeunload does not show Chromium's dialog: the page simply
// stays, and webContents emits 'will-prevent-unload'; calling event.preventDefault() there
// ignores the handler and lets the page go (Electron's web-contents docs). beforeunload runs for
// every way out, so this one event covers a reload, closing the window (BrowserWindow 'close' is
// emitted first, then beforeunload) and quitting the app (which closes every window; "Stay"
// cancels the quit). The dialog must be the synchronous one: preventDefault only counts while
// the event is being dispatched.

export interface MessageBoxOptions {
  type: 'warning';
  buttons: string[];
  defaultId: number;
  cancelId: number;
  title: string;
  message: string;
  detail: string;
  noLink: boolean;
}

export const LEAVE = 0;
export const STAY = 1;

/** The question, phrased for what happens to the run: it is kept, marked interrupted, and can be resumed. */
export function leaveDialogOptions(): MessageBoxOptions {
  return {
    type: 'warning',
    buttons: ['Leave', 'Stay'],
    defaultId: STAY,
    cancelId: STAY,
    title: 'Training is running',
    message: 'A run is still training. Leave anyway?',
    detail:
      'If you leave, training stops. The run is kept as "interrupted" with every metric and checkpoint saved so far, ' +
      'and you can resume it from its last checkpoint in Train. Stay to let it finish.',
    noLink: true,
  };
}

interface PreventableEvent {
  preventDefault(): void;
}

export interface GuardedContentsLike {
  on(event: 'will-prevent-unload', listener: (event: PreventableEvent) => void): unknown;
}

export interface SyncMessageBoxLike<W> {
  showMessageBoxSync(window: W, options: MessageBoxOptions): number;
}

/** Installs the question on a window's page; `onChoice` hears each answer (for the log). */
export function guardLeavingWhileTraining<W extends { webContents: GuardedContentsLike }>(
  window: W,
  dialog: SyncMessageBoxLike<W>,
  onChoice: (choice: 'leave' | 'stay') => void = () => {},
): void {
  window.webContents.on('will-prevent-unload', (event) => {
    // Modal to the window, so it cannot be lost behind it.
    const choice = dialog.showMessageBoxSync(window, leaveDialogOptions());
    if (choice === LEAVE) {
      event.preventDefault(); // ignore the page's beforeunload: the reload / close / quit goes ahead
      onChoice('leave');
    } else {
      onChoice('stay');
    }
  });
}
