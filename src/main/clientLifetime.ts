// When does a window stop being the client that trains its runs? When its page goes: a reload or
// navigation of the main frame (a new document starts, with no worker and no training), a crashed
// or killed renderer, or the webContents being destroyed (the window closed). Each of these tells
// the lab service to mark the client's unfinished runs interrupted, which keeps everything saved
// and makes them resumable, instead of leaving them 'running' behind a heartbeat main keeps alive.

/** The part of Electron's webContents this needs. */
export interface ClientContentsLike {
  id: number;
  on(event: 'did-start-navigation', listener: (details: { isMainFrame?: boolean; isSameDocument?: boolean }, url?: string, isInPlace?: boolean, isMainFrame?: boolean) => void): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string }) => void): unknown;
  on(event: 'destroyed', listener: () => void): unknown;
}

export function watchClientLifetime(contents: ClientContentsLike, onGone: (id: number, reason: string) => void): void {
  // The first navigation loads the app itself; the page has no runs then, so reporting it is harmless.
  contents.on('did-start-navigation', (details, _url, isInPlace, isMainFrame) => {
    const mainFrame = details?.isMainFrame ?? isMainFrame ?? false;
    const sameDocument = details?.isSameDocument ?? isInPlace ?? false;
    if (mainFrame && !sameDocument) onGone(contents.id, 'the window reloaded or left the page that trained it');
  });
  contents.on('render-process-gone', (_event, details) => onGone(contents.id, `the window's renderer stopped (${details.reason})`));
  contents.on('destroyed', () => onGone(contents.id, 'the window that trained it was closed'));
}
