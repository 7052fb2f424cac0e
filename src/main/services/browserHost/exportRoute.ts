// GET /api/export?token=…&run=ID&format=safetensors|onnx|csv|pytorch[&checkpoint=NAME][&kind=step|epoch|all]
//
// Browser mode's exports as downloads: the bytes come from the lab service's export logic (the same
// bytes runs.export writes to a path) and go straight into the response with a
// Content-Disposition: attachment header, so the browser saves them where its user says. Nothing is
// written on this machine's disk. The token is checked by the server before this route runs (every
// /api/ route needs it), like the WebSocket's.
//
// Answers: 200 with the file; 400 when the query is malformed; 405 for another method; 422 with the
// service's one-line reason when the run cannot be exported (no such run or checkpoint, no records).
// Headers `X-Convlab-Checkpoint` (the checkpoint exported) and `X-Convlab-Note` (what the file
// lacks, if anything) say what the desktop app's result object says.
import type { ServerResponse } from 'node:http';
import type { ExportFileRequest } from '../runs/exportRun';
import type { LabService } from '../labService';
import { CHECKPOINT_NAME_PATTERN, RUN_ID_PATTERN } from '../../../shared/runFormat';
import { securityHeaders, sendText } from './staticFiles';

const FORMATS = ['safetensors', 'onnx', 'csv', 'pytorch'] as const;
const KINDS = ['step', 'epoch', 'all'] as const;

/** The run id and request of a query, or the reason it is not one. */
export function parseExportQuery(params: URLSearchParams): { id: string; request: ExportFileRequest } | { error: string } {
  const known = new Set(['token', 'run', 'format', 'checkpoint', 'kind']);
  const unknown = [...params.keys()].find((k) => !known.has(k));
  if (unknown !== undefined) return { error: `Unknown export parameter "${unknown}"; use run, format, checkpoint, kind` };
  const id = params.get('run') ?? '';
  if (!RUN_ID_PATTERN.test(id)) return { error: 'run= must be a run id, like 20261126-173700-ab12cd' };
  const format = params.get('format') ?? '';
  if (!(FORMATS as readonly string[]).includes(format)) return { error: `format= must be one of ${FORMATS.join(', ')}` };
  const checkpoint = params.get('checkpoint');
  const kind = params.get('kind');
  if (checkpoint !== null) {
    if (format === 'csv') return { error: 'checkpoint= applies to safetensors, onnx and pytorch exports, not csv' };
    if (!CHECKPOINT_NAME_PATTERN.test(checkpoint)) return { error: "checkpoint= must be a checkpoint name, like 'best' or 'epoch-3'" };
  }
  if (kind !== null) {
    if (format !== 'csv') return { error: 'kind= applies to csv exports only' };
    if (!(KINDS as readonly string[]).includes(kind)) return { error: `kind= must be one of ${KINDS.join(', ')}` };
  }
  return {
    id,
    request: {
      format: format as ExportFileRequest['format'],
      ...(checkpoint !== null ? { checkpoint } : {}),
      ...(kind !== null ? { kind: kind as NonNullable<ExportFileRequest['kind']> } : {}),
    },
  };
}

export async function serveExport(service: LabService, method: string, params: URLSearchParams, res: ServerResponse): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { ...securityHeaders(), Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    return void res.end('Exports are downloaded with GET\n');
  }
  const parsed = parseExportQuery(params);
  if ('error' in parsed) return sendText(res, 400, parsed.error);
  let file;
  try {
    file = await service.exportFile(parsed.id, parsed.request);
  } catch (e) {
    return sendText(res, 422, (e as Error).message.split('\n')[0]!);
  }
  res.writeHead(200, {
    ...securityHeaders(),
    'Content-Type': file.mediaType,
    'Content-Length': String(file.bytes.byteLength),
    // fileName is plain ASCII (safeFileStem), so the simple form of the header is exact.
    'Content-Disposition': `attachment; filename="${file.fileName}"`,
    ...(file.checkpoint ? { 'X-Convlab-Checkpoint': file.checkpoint } : {}),
    ...(file.note ? { 'X-Convlab-Note': encodeURIComponent(file.note) } : {}),
  });
  res.end(method === 'HEAD' ? undefined : file.bytes);
}
