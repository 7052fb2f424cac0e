// One WebSocket client of the browser host: parses requests, validates their arguments with the
// 'browser' schemas (the same rules as IPC, plus typed paths), calls the lab service and answers in
// the wire format of src/shared/labWire.ts. Requests run concurrently and answer by id.
import type WebSocket from 'ws';
import type { LabMethodName } from '../../../shared/labApi';
import { labMethodNames } from '../../../shared/labApi';
import { describeArgIssues, labArgSchemas } from '../../../shared/labSchemas';
import { extractBinary, type WireResponse } from '../../../shared/labWire';
import type { LabService } from '../labService';

const schemas = labArgSchemas('browser');
const methods = new Set<string>(labMethodNames());

/** WebSocket close code for "a kind of data this endpoint does not accept" (RFC 6455). */
export const CLOSE_UNSUPPORTED_DATA = 1003;

export function serveLabSocket(socket: WebSocket, service: LabService): void {
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      // No method takes bytes; a client that sends them is not ours.
      socket.close(CLOSE_UNSUPPORTED_DATA, 'requests are JSON text frames');
      return;
    }
    void answer(socket, service, String(data));
  });
}

async function answer(socket: WebSocket, service: LabService, text: string): Promise<void> {
  let request: { id?: unknown; method?: unknown; args?: unknown };
  try {
    request = JSON.parse(text) as typeof request;
  } catch {
    return send(socket, { id: null, ok: false, error: 'A request must be JSON: {"id": 1, "method": "runs.list", "args": []}' });
  }
  const id = typeof request?.id === 'number' || (typeof request?.id === 'string' && request.id.length <= 64) ? request.id : null;
  if (id === null) return send(socket, { id: null, ok: false, error: 'A request needs an "id" (a number, or a string of at most 64 characters)' });
  const { method } = request;
  if (typeof method !== 'string' || !methods.has(method)) {
    return send(socket, { id, ok: false, error: `Unknown method ${JSON.stringify(method)}; see docs/labapi.md for the list` });
  }
  const args = request.args ?? [];
  const parsed = schemas[method as LabMethodName].safeParse(args);
  if (!parsed.success) return send(socket, { id, ok: false, error: describeArgIssues(method, parsed.error) });

  const [domain, name] = method.split('.') as [keyof LabService, string];
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
