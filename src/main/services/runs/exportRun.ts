// A run's export as bytes with the file name it should get: what `runs.export` writes to a path
// (the CLI, the desktop app's save dialog, a server path in browser mode) and what the browser
// host streams as a download without writing anything on its own disk. One function, so a
// download and a saved file are the same bytes.
import type { RunExportRequest } from '../../../shared/labApi';
import type { RunStore } from '../runStore';
import { metricsToCsv } from './exportCsv';
import { runAsOnnx } from './exportOnnx';
import { exportableSafetensors } from './exportSafetensors';
import { pytorchProject } from './pytorch/exportProject';
import { strToU8, zipSync } from 'fflate';

export type ExportFileRequest = Pick<RunExportRequest, 'format' | 'checkpoint' | 'kind'>;

export interface ExportedFile {
  bytes: Uint8Array;
  /** A plain file name (letters, digits, '.', '_', '-'): the run's name, the checkpoint, the format. */
  fileName: string;
  mediaType: string;
  /** safetensors and onnx: the checkpoint exported (the run's best when none was named). */
  checkpoint?: string;
  /** Said when the file lacks something (an old checkpoint without convlab.preprocessing). */
  note?: string;
}

const MEDIA_TYPES: Record<RunExportRequest['format'], string> = {
  csv: 'text/csv; charset=utf-8',
  onnx: 'application/octet-stream',
  safetensors: 'application/octet-stream',
  pytorch: 'application/zip',
};

/** `name` reduced to characters every file system and Content-Disposition header take. */
export function safeFileStem(name: string, fallback: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || fallback;
}

export async function runExportFile(store: RunStore, id: string, request: ExportFileRequest, producerVersion: string): Promise<ExportedFile> {
  const manifest = await store.get(id);
  const stem = safeFileStem(manifest.name, id);
  if (request.format === 'csv') {
    const kind = request.kind ?? 'step';
    const bytes = new TextEncoder().encode(metricsToCsv(await store.readMetrics(id), kind));
    return { bytes, fileName: `${stem}.${kind === 'all' ? 'metrics' : kind}.csv`, mediaType: MEDIA_TYPES.csv };
  }
  if (request.format === 'pytorch') {
    // The project as one zip with a top folder, so it unpacks into a folder of its own.
    const project = await pytorchProject(store, id, { ...(request.checkpoint ? { checkpoint: request.checkpoint } : {}), exportedBy: `Conv Lab ${producerVersion}` });
    const top = `${stem}-pytorch`;
    const bytes = zipSync(Object.fromEntries(project.files.map((f) => [`${top}/${f.path}`, typeof f.data === 'string' ? strToU8(f.data) : f.data])));
    return { bytes, fileName: `${top}.zip`, mediaType: MEDIA_TYPES.pytorch, checkpoint: project.checkpoint, ...(project.note ? { note: project.note } : {}) };
  }
  // Weights default to the run's best checkpoint; the result says which one was used.
  const made: { checkpoint: string; bytes: Uint8Array; note?: string } =
    request.format === 'onnx'
      ? await runAsOnnx(store, manifest, request.checkpoint, producerVersion)
      : await exportableSafetensors(store, id, request.checkpoint).then((s) => ({ checkpoint: s.name, bytes: s.bytes, note: s.note }));
  return {
    bytes: made.bytes,
    fileName: `${stem}.${made.checkpoint}.${request.format}`,
    mediaType: MEDIA_TYPES[request.format],
    checkpoint: made.checkpoint,
    ...(made.note ? { note: made.note } : {}),
  };
}
