// The decode worker: receives file paths, reads each file itself (so the main thread never holds
// image bytes), decodes and fits it, and posts back the pixels (transferred, not copied) or the
// reason the file was refused. Every per-file problem becomes a reason; only a real crash ends the
// thread, and the pool replaces it.
import { parentPort, workerData } from 'node:worker_threads';
import { decodeImageBytes } from './decodeImage';
import type { DecodeTarget } from './decodeImage';
import { readImageFile } from './decodeFileRead';

export interface DecodeWorkerData {
  /** Marks a thread started by DecodePool, so importing this module anywhere else does nothing. */
  role: 'convlab-decode';
  target: DecodeTarget;
  maxFileBytes: number;
}

export interface DecodeRequest {
  id: number;
  path: string;
}

export type DecodeReply = { id: number; ok: true; data: Uint8Array } | { id: number; ok: false; reason: string };

export function handleRequest(req: DecodeRequest, data: DecodeWorkerData): DecodeReply {
  const read = readImageFile(req.path, data.maxFileBytes);
  if (!read.ok) return { id: req.id, ok: false, reason: read.reason };
  try {
    const out = decodeImageBytes(read.bytes, data.target);
    return out.ok ? { id: req.id, ok: true, data: out.data } : { id: req.id, ok: false, reason: out.reason };
  } catch (err) {
    // A decoder bug (or an allocation failure) on one file must not take the others down.
    return { id: req.id, ok: false, reason: `decoder failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

if (parentPort && (workerData as Partial<DecodeWorkerData> | null)?.role === 'convlab-decode') {
  const port = parentPort;
  const data = workerData as DecodeWorkerData;
  port.on('message', (req: DecodeRequest) => {
    const reply = handleRequest(req, data);
    if (reply.ok) port.postMessage(reply, [reply.data.buffer as ArrayBuffer]);
    else port.postMessage(reply);
  });
}
