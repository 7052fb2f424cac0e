// The one LabApi the renderer uses: window.lab when the Electron preload put it there, otherwise
// the browser host's WebSocket (the page was opened from the URL `convlab web` printed).
import type { LabApi } from '../../../shared/labApi';
import { createWsLabClient, labSocketUrl, tokenFromLocation, type WebSocketLike } from './wsClient';

function browserSocketUrl(): string {
  const token = tokenFromLocation(window.location);
  if (token === null) {
    throw new Error('No Conv Lab host: open this page from the Conv Lab app, or from the URL (with its token) that `convlab web` prints');
  }
  return labSocketUrl(window.location, token);
}

const desktop = typeof window !== 'undefined' && window.lab !== undefined;

/**
 * Browser mode only (null in the desktop app): the LabApi socket URL, for a worker that opens its
 * own connection to fetch bulk data (the training dataset) off the UI thread.
 */
export const labSocketForWorkers: string | null = desktop ? null : browserSocketUrl();

// The DOM WebSocket has everything WebSocketLike lists; only its handler types are narrower
// (CloseEvent, MessageEvent), which the cast bridges.
export const lab: LabApi = desktop ? window.lab : createWsLabClient(labSocketForWorkers!, (url) => new WebSocket(url) as unknown as WebSocketLike);
