// The one LabApi the renderer uses: window.lab when the Electron preload put it there, otherwise
// the browser host's WebSocket (the page was opened from the URL `convlab web` printed).
import type { LabApi } from '../../../shared/labApi';
import { createWsLabClient, labSocketUrl, tokenFromLocation, type WebSocketLike } from './wsClient';

function browserLab(): LabApi {
  const token = tokenFromLocation(window.location);
  if (token === null) {
    throw new Error('No Conv Lab host: open this page from the Conv Lab app, or from the URL (with its token) that `convlab web` prints');
  }
  // The DOM WebSocket has everything WebSocketLike lists; only its handler types are narrower
  // (CloseEvent, MessageEvent), which the cast bridges.
  return createWsLabClient(labSocketUrl(window.location, token), (url) => new WebSocket(url) as unknown as WebSocketLike);
}

export const lab: LabApi = typeof window !== 'undefined' && window.lab ? window.lab : browserLab();
