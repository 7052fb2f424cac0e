// The decode worker: receives file paths, reads each file itself (so the main thread never holds
// image bytes), and either probes its header or decodes and fits it, posting back the header, the
// pixels (transferred, not copied) or the reason the file was refused. Every per-file problem
// becomes a reason; only a real crash ends the thread, and the pool replaces it. Requests are
// handled strictly in arrival order (a WebP decode is asynchronous, so each request waits for the
// one before), which is what lets the pool tell which file killed a worker.
import { parentPort, workerData } from 'node:worker_threads';
import { decodeImageBytes } from './decodeImage';
import type { DecodeTarget } from './decodeImage';
import { readImageFile } from './decodeFileRead';
import { probeImageFile } from './imageFolderProbe';
import type { ImageHeader, ImageLimits } from './imageHeader';

export interface DecodeWorkerData {
  /** Marks a thread started by DecodePool, so importing this module anywhere else does nothing. */
  role: 'convlab-decode';
  limits: ImageLimits;
  maxFileBytes: number;
}

export type DecodeRequest =
  | { id: number; kind: 'probe'; path: string }
  | { id: number; kind: 'decode'; path: string; target: DecodeTarget };

export type DecodeReply =
  | { id: number; ok: true; data?: Uint8Array; header?: ImageHeader }
  | { id: number; ok: false; reason: string };

export async function handleRequest(req: DecodeRequest, data: DecodeWorkerData): Promise<DecodeReply> {
  try {
    if (req.kind === 'probe') {
      const probe = probeImageFile(req.path, data.limits, data.maxFileBytes);
      return probe.ok ? { id: req.id, ok: true, header: probe.header } : { id: req.id, ok: false, reason: probe.reason };
    }
    const read = readImageFile(req.path, data.maxFileBytes);
    if (!read.ok) return { id: req.id, ok: false, reason: read.reason };
    const out = await decodeImageBytes(read.bytes, { ...req.target, limits: data.limits });
    return out.ok ? { id: req.id, ok: true, data: out.data } : { id: req.id, ok: false, reason: out.reason };
  } catch (err) {
    // A decoder bug (or an allocation failure) on one file must not take the others down.
    return { id: req.id, ok: false, reason: `decoder failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

if (parentPort && (workerData as Partial<DecodeWorkerData> | null)?.role === 'convlab-decode') {
  const port = parentPort;
  const data = workerData as DecodeWorkerData;
  let previous: Promise<void> = Promise.resolve();
  port.on('message', (req: DecodeRequest) => {
    previous = previous.then(async () => {
      const reply = await handleRequest(req, data);
      if (reply.ok && reply.data) port.postMessage(reply, [reply.data.buffer as ArrayBuffer]);
      else port.postMessage(reply);
    });
  });
}
