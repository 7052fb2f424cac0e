// One WebSocket client of the browser host: parses requests, validates their arguments with the
// 'browser' schemas (the same rules as IPC, plus typed paths), calls the lab service and answers in
// the wire format of src/shared/labWire.ts. Requests run concurrently and answer by id.
import type WebSocket from 'ws';
import type { LabMethodName, LabRequestApi } from '../../../shared/labApi';
import { labMethodNames } from '../../../shared/labApi';
import { describeArgIssues, labArgSchemas } from '../../../shared/labSchemas';
import { extractBinary, insertBinary, isWirePathList, type WirePath, type WireResponse } from '../../../shared/labWire';

const schemas = labArgSchemas('browser');
const methods = new Set<string>(labMethodNames());

/** WebSocket close code for "a kind of data this endpoint does not accept" (RFC 6455). */
export const CLOSE_UNSUPPORTED_DATA = 1003;

/** A JSON request; its byte arrays (checkpoints) come as binary frames announced in "binary".
 *  The largest JSON requests are evaluations, which list every image's prediction (~30 bytes
 *  each): 16 MiB holds half a million images. */
export const MAX_TEXT_REQUEST_BYTES = 16 * 1024 * 1024;
/** Byte arrays one request may announce (one per checkpoint tensor). */
const MAX_BINARY_PARTS = 4096;

type RawRequest = { id?: unknown; method?: unknown; args?: unknown; binary?: unknown };

export function serveLabSocket(socket: WebSocket, service: LabRequestApi): void {
  // A request whose header announced binary parts: its frames follow it, back to back (the client
  // sends them in the same tick, and a WebSocket keeps a connection's frames in order).
  let awaiting: { request: RawRequest; paths: WirePath[]; chunks: Uint8Array[] } | null = null;
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      if (!awaiting) {
        // Bytes nobody announced: the client is not ours (or lost count); stop listening to it.
        socket.close(CLOSE_UNSUPPORTED_DATA, 'binary frames must follow a request that announces them');
        return;
      }
      awaiting.chunks.push(toBytes(data));
      if (awaiting.chunks.length < awaiting.paths.length) return;
      const done = awaiting;
      awaiting = null;
      try {
        done.request.args = insertBinary(done.request.args, done.paths, done.chunks);
      } catch (e) {
        const id = typeof done.request.id === 'number' || typeof done.request.id === 'string' ? done.request.id : null;
        return send(socket, { id, ok: false, error: `${(e as Error).message}: each "binary" path must name a null inside "args"` });
      }
      void answer(socket, service, done.request);
      return;
    }
    const text = String(data);
    if (text.length > MAX_TEXT_REQUEST_BYTES) {
      return send(socket, { id: null, ok: false, error: `A JSON request can be at most ${MAX_TEXT_REQUEST_BYTES} bytes; send byte arrays as binary frames` });
    }
    let request: RawRequest;
    try {
      request = JSON.parse(text) as RawRequest;
    } catch {
      return send(socket, { id: null, ok: false, error: 'A request must be JSON: {"id": 1, "method": "runs.list", "args": []}' });
    }
    const binary = request?.binary;
    if (binary !== undefined) {
      if (!isWirePathList(binary) || binary.length === 0 || binary.length > MAX_BINARY_PARTS || binary.some((p) => p.length === 0)) {
        socket.close(CLOSE_UNSUPPORTED_DATA, `"binary" must list 1-${MAX_BINARY_PARTS} paths inside "args"`);
        return;
      }
      awaiting = { request, paths: binary, chunks: [] };
      return;
    }
    void answer(socket, service, request);
  });
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

async function answer(socket: WebSocket, service: LabRequestApi, request: RawRequest): Promise<void> {
  const id = typeof request?.id === 'number' || (typeof request?.id === 'string' && request.id.length <= 64) ? request.id : null;
  if (id === null) return send(socket, { id: null, ok: false, error: 'A request needs an "id" (a number, or a string of at most 64 characters)' });
  const { method } = request;
  if (typeof method !== 'string' || !methods.has(method)) {
    return send(socket, { id, ok: false, error: `Unknown method ${JSON.stringify(method)}; see docs/labapi.md for the list` });
  }
  const args = request.args ?? [];
  const parsed = schemas[method as LabMethodName].safeParse(args);
  if (!parsed.success) return send(socket, { id, ok: false, error: describeArgIssues(method, parsed.error) });

  const [domain, name] = method.split('.') as [keyof LabRequestApi, string];
  const fn = (service[domain] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name];
  let result: unknown;
  try {
    result = await fn(...(parsed.data as unknown[]));
  } catch (e) {
    return send(socket, { id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
  const { json, paths, chunks } = extractBinary(result ?? null);
  send(socket, paths.length > 0 ? { id, ok: true, result: json, binary: paths } : { id, ok: true, result: json });
  // Sent in the same tick as the header, so no other frame can come between them.
  for (const chunk of chunks) if (socket.readyState === socket.OPEN) socket.send(chunk, { binary: true });
}

function send(socket: WebSocket, message: WireResponse): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}
