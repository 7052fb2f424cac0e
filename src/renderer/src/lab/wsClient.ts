// LabApi over the browser host's WebSocket (wire format: src/shared/labWire.ts). Used when the
// renderer runs in an ordinary browser (`convlab web`), where there is no preload and no window.lab.
//
// Calls made before the socket opens wait for it. If the socket closes, pending calls fail with a
// message that says what to do (the host was stopped, or the token is wrong), and later calls fail
// the same way: reconnecting silently could replay a half-done import.
import {
  LAB_EVENT_CHANNELS,
  LAB_METHODS,
  type LabApi,
  type LabEventChannel,
} from '../../../shared/labApi';
import { extractBinary, insertBinary, isWirePathList, type WirePath } from '../../../shared/labWire';

/** The parts of the DOM WebSocket used here (the `ws` package's WebSocket has them too). */
export interface WebSocketLike {
  binaryType: string;
  readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string | ArrayBufferView): void;
  close(): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The token from ?token=… or #token=… of the page URL. */
export function tokenFromLocation(location: { search: string; hash: string }): string | null {
  const fromQuery = new URLSearchParams(location.search).get('token');
  if (fromQuery) return fromQuery;
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  return fromHash || null;
}

/** ws://<same host>/lab?token=… for a page served by the browser host. */
export function labSocketUrl(location: { protocol: string; host: string }, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/lab?token=${encodeURIComponent(token)}`;
}

export function createWsLabClient(url: string, factory: WebSocketFactory): LabApi & { close(): void } {
  const socket = factory(url);
  socket.binaryType = 'arraybuffer';
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let closedError: Error | null = null;
  // A response with binary parts: its header arrived, its frames are still coming.
  let awaiting: { id: number; json: unknown; paths: WirePath[]; chunks: Uint8Array[] } | null = null;

  const opened = new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onclose = (event) => {
      closedError = new Error(
        event.code === 1006 || event.code === 1000
          ? 'The Conv Lab host closed the connection (it was stopped, or the token in the page URL is wrong); start `convlab web` again and open the URL it prints'
          : `The Conv Lab host closed the connection (${event.code} ${event.reason})`,
      );
      reject(closedError);
      for (const p of pending.values()) p.reject(closedError);
      pending.clear();
    };
  });
  opened.catch(() => undefined); // surfaced through each call instead
  socket.onerror = () => undefined; // onclose follows with the code

  function settle(id: unknown, ok: boolean, result: unknown, error?: unknown): void {
    const p = typeof id === 'number' ? pending.get(id) : undefined;
    if (!p) return;
    pending.delete(id as number);
    if (ok) p.resolve(result);
    else p.reject(new Error(typeof error === 'string' ? error : 'The Conv Lab host answered with an error'));
  }

  socket.onmessage = ({ data }) => {
    if (typeof data !== 'string') {
      if (!awaiting) return; // not announced: ignore rather than misplace it
      awaiting.chunks.push(new Uint8Array(data as ArrayBuffer));
      if (awaiting.chunks.length === awaiting.paths.length) {
        const done = awaiting;
        awaiting = null;
        settle(done.id, true, insertBinary(done.json, done.paths, done.chunks));
      }
      return;
    }
    const message = JSON.parse(data) as Record<string, unknown>;
    if (typeof message.event === 'string') {
      for (const callback of listeners.get(message.event) ?? []) callback(message.payload);
      return;
    }
    if (message.ok === true && isWirePathList(message.binary) && message.binary.length > 0) {
      awaiting = { id: message.id as number, json: message.result, paths: message.binary, chunks: [] };
      return;
    }
    settle(message.id, message.ok === true, message.result, message.error);
  };

  async function call(method: string, args: unknown[]): Promise<unknown> {
    await opened;
    if (closedError) throw closedError;
    const id = nextId++;
    // JSON has no undefined: an optional argument left out at the end would arrive as null, which
    // the host's schema refuses. Drop trailing undefined arguments, as a call without them means.
    let given = args.length;
    while (given > 0 && args[given - 1] === undefined) given--;
    // Byte arrays (checkpoint tensors) go as binary frames after the header, as responses do.
    const { json, paths, chunks } = extractBinary(args.slice(0, given));
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify(paths.length > 0 ? { id, method, args: json, binary: paths } : { id, method, args: json }));
      for (const chunk of chunks) socket.send(chunk);
    });
  }

  const api: Record<string, unknown> = {};
  for (const [domain, methods] of Object.entries(LAB_METHODS)) {
    const object: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const method of Object.keys(methods)) object[method] = (...args) => call(`${domain}.${method}`, args);
    api[domain] = object;
  }
  const known = new Set<string>(LAB_EVENT_CHANNELS);
  api.events = {
    on(channel: LabEventChannel, callback: (payload: unknown) => void): () => void {
      if (!known.has(channel)) throw new Error(`lab.events.on: unknown channel "${String(channel)}". Known channels: ${[...known].join(', ')}.`);
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(callback);
      return () => void listeners.get(channel)?.delete(callback);
    },
  };
  api.close = () => socket.close();
  return api as unknown as LabApi & { close(): void };
}
