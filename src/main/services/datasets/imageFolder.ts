// Imports a folder of images laid out like torchvision's ImageFolder into a stored dataset.
// Steps: walk (imageFolderScan) -> read every header (imageFolderProbe) -> decode in worker threads
// (decodePool) -> append to a DatasetWriter in sorted order -> commit. The rules for what is kept,
// skipped and converted are in docs/formats/image-import.md. A folder that holds MNIST IDX files
// instead of class folders is imported as IDX (idxFolder.ts).
//
// Memory stays bounded: at most `workers * 4` files are in flight past the next one to append, and
// the workers read the files themselves. Order is deterministic whatever the completion order, so
// the stored bytes do not depend on the number of workers. Any failure or cancellation aborts the
// writer, which removes its temporary folder: nothing is left behind.
import type { DatasetManifest, SkippedFile } from '../../../shared/datasetFormat';
import { MAX_CLASSES } from '../../../shared/datasetFormat';
import { DatasetWriter } from './datasetWriter';
import { findIdxPairs } from './idxFolder';
import { importIdx } from './importIdx';
import { DecodePool } from './decodePool';
import type { DecodeOutcome, DecodeTarget } from './decodeImage';
import { DEFAULT_MAX_FILE_BYTES } from './decodeFileRead';
import { DEFAULT_IMAGE_LIMITS } from './imageHeader';
import { compareCodePoints, scanImageFolder } from './imageFolderScan';
import type { CandidateFile } from './imageFolderScan';
import type { ProbeResult } from './imageFolderProbe';
import { defaultSize, resolveImportOptions } from './imageFolderOptions';
import type { ImportImageFolderOptions, ImportProgress, ResolvedImportOptions } from './imageFolderOptions';

export type { ImportImageFolderOptions, ImportProgress } from './imageFolderOptions';

export interface ImportImageFolderResult {
  manifest: DatasetManifest;
  imported: number;
  skipped: SkippedFile[];
}

/** Refusal of a folder with nothing to import; carries the full list of what was left out. */
export class ImageImportError extends Error {
  constructor(
    message: string,
    readonly skipped: SkippedFile[],
  ) {
    super(message);
    this.name = 'ImageImportError';
  }
}

export const CANCELLED_MESSAGE = 'import cancelled';
const IN_FLIGHT_PER_WORKER = 4;
const PROGRESS_INTERVAL_MS = 100;

export async function importImageFolder(home: string, options: ImportImageFolderOptions): Promise<ImportImageFolderResult> {
  const opts = resolveImportOptions(options);
  const signal = options.signal;
  throwIfCancelled(signal);
  // MNIST's own files in a folder: import them as IDX (their stored size; size, channels and fit
  // are for images and do not apply).
  const idx = await findIdxPairs(opts.folder);
  if (idx) {
    const [first, ...more] = idx;
    return importIdx(home, {
      ...first!,
      more,
      name: opts.name,
      valFraction: opts.valFraction,
      seed: opts.seed,
      signal,
      onProgress: options.onProgress && ((p) => options.onProgress!({ ...p, skipped: 0 })),
    });
  }

  // Workers start loading while the folder is walked; every exit path below closes them.
  const pool = new DecodePool(opts.workers, { role: 'convlab-decode', limits: DEFAULT_IMAGE_LIMITS, maxFileBytes: DEFAULT_MAX_FILE_BYTES });
  try {
    return await importWithPool(home, opts, options, pool);
  } finally {
    await pool.close();
  }
}

async function importWithPool(
  home: string,
  opts: ResolvedImportOptions,
  options: ImportImageFolderOptions,
  pool: DecodePool,
): Promise<ImportImageFolderResult> {
  const signal = options.signal;
  const scan = await scanImageFolder(opts.folder, signal);
  const probes = await probeAll(pool, scan.files, opts.workers, signal);

  const skipped: SkippedFile[] = [...scan.skipped];
  let candidates: CandidateFile[] = [];
  let anyColor = false;
  probes.forEach((p, i) => {
    if (p.ok) {
      candidates.push(scan.files[i]);
      anyColor ||= p.header.color;
    } else {
      skipped.push({ file: scan.files[i].rel, reason: p.reason });
    }
  });
  const seen = scan.files.length + scan.skipped.length;
  if (candidates.length === 0) throw nothingToImport(opts.folder, seen, finishReport(skipped, scan.classes, new Set()));

  const channels = opts.channels ?? (anyColor ? 3 : 1);
  const [height, width] = opts.size ?? defaultSize(channels);
  const target: DecodeTarget = { channels, height, width, fit: opts.fit };
  const progress = throttledProgress(options.onProgress, scan.files.length, scan.files.length - candidates.length);
  // A class whose every file fails to decode is dropped and the pass redone without it, since a
  // writer's classes are fixed when it is created. Each round removes a class, so this ends.
  let classIds = keptClasses(scan.classes.length, candidates);
  for (;;) {
    const writer = await DatasetWriter.create(home, {
      name: opts.name,
      source: { kind: 'folder', path: scan.root, fit: opts.fit },
      channels,
      height,
      width,
      classes: classIds.map((c) => scan.classes[c]),
    });
    try {
      const label = new Map(classIds.map((c, i) => [c, i]));
      const pass = await decodePass(pool, target, writer, candidates, (f) => label.get(f.classIndex)!, progress, opts.workers, signal);
      const empty = classIds.filter((_, i) => (pass.perClass[i] ?? 0) === 0);
      if (empty.length > 0 && empty.length < classIds.length) {
        await writer.abort();
        for (const [i, reason] of pass.failures) if (empty.includes(candidates[i].classIndex)) skipped.push({ file: candidates[i].rel, reason });
        candidates = candidates.filter((f) => !empty.includes(f.classIndex));
        classIds = classIds.filter((c) => !empty.includes(c));
        progress.restart(scan.files.length - candidates.length);
        continue;
      }
      for (const [i, reason] of pass.failures) skipped.push({ file: candidates[i].rel, reason });
      if (pass.imported === 0) {
        await writer.abort();
        throw nothingToImport(opts.folder, seen, finishReport(skipped, scan.classes, new Set()));
      }
      const kept = new Set(classIds);
      const report = finishReport(skipped, scan.classes, kept);
      const manifest = await writer.commit({ valFraction: opts.valFraction, seed: opts.seed, report: { skipped: report } });
      progress.flush();
      return { manifest, imported: pass.imported, skipped: report };
    } catch (err) {
      await writer.abort();
      throw signal?.aborted ? cancelledError() : err;
    }
  }
}

/** Probes every candidate's header in the workers, a bounded number at a time, in file order. */
async function probeAll(pool: DecodePool, files: CandidateFile[], workers: number, signal: AbortSignal | undefined): Promise<ProbeResult[]> {
  const results = new Array<ProbeResult>(files.length);
  const cancelled = cancellation(signal);
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await Promise.race([pool.probe(files[i].path), cancelled.promise]);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(files.length, workers * IN_FLIGHT_PER_WORKER) }, lane));
  } finally {
    cancelled.dispose();
  }
  return results;
}

/** Classes (scan indices, ascending) that have at least one candidate file; at most MAX_CLASSES. */
function keptClasses(classCount: number, candidates: CandidateFile[]): number[] {
  const has = new Array<boolean>(classCount).fill(false);
  for (const f of candidates) has[f.classIndex] = true;
  const ids = has.flatMap((h, i) => (h ? [i] : []));
  if (ids.length > MAX_CLASSES) {
    throw new Error(`The folder has ${ids.length} class subfolders with images; a dataset holds at most ${MAX_CLASSES} classes`);
  }
  return ids;
}

/** Adds one entry per dropped class folder and sorts the report by path, so it reads like a listing. */
function finishReport(skipped: SkippedFile[], classes: string[], kept: Set<number>): SkippedFile[] {
  const out = [...skipped];
  classes.forEach((c, i) => {
    if (!kept.has(i)) out.push({ file: `${c}/`, reason: 'class folder dropped: it holds no importable image' });
  });
  return out.sort((a, b) => compareCodePoints(a.file, b.file));
}

interface PassResult {
  imported: number;
  perClass: number[];
  /** Candidate index -> why it was refused. */
  failures: Map<number, string>;
}

async function decodePass(
  pool: DecodePool,
  target: DecodeTarget,
  writer: DatasetWriter,
  files: CandidateFile[],
  labelOf: (f: CandidateFile) => number,
  progress: ReturnType<typeof throttledProgress>,
  workers: number,
  signal: AbortSignal | undefined,
): Promise<PassResult> {
  const window = workers * IN_FLIGHT_PER_WORKER;
  const pending = new Array<Promise<DecodeOutcome>>(window);
  const cancelled = cancellation(signal);
  const result: PassResult = { imported: 0, perClass: [], failures: new Map() };
  let dispatched = 0;
  try {
    for (let i = 0; i < files.length; i++) {
      while (dispatched < files.length && dispatched < i + window) {
        const job = pool.decode(files[dispatched].path, target);
        job.catch(() => undefined); // rejections are seen when awaited; never unhandled if we stop early
        pending[dispatched % window] = job;
        dispatched++;
      }
      const out = await Promise.race([pending[i % window], cancelled.promise]);
      const label = labelOf(files[i]);
      if (out.ok) {
        await writer.append(out.data, label);
        result.imported++;
        result.perClass[label] = (result.perClass[label] ?? 0) + 1;
      } else {
        result.failures.set(i, out.reason);
      }
      progress.step(!out.ok);
    }
  } finally {
    cancelled.dispose();
  }
  return result;
}

function cancelledError(): Error {
  const err = new Error(CANCELLED_MESSAGE);
  err.name = 'AbortError';
  return err;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/** A promise that rejects when the signal fires, so an await on a slow decode ends at once. */
function cancellation(signal: AbortSignal | undefined): { promise: Promise<never>; dispose: () => void } {
  if (!signal) return { promise: new Promise<never>(() => undefined), dispose: () => undefined };
  let onAbort: () => void = () => undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancelledError());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

function throttledProgress(onProgress: ((p: ImportProgress) => void) | undefined, total: number, initiallySkipped: number) {
  let done = initiallySkipped;
  let skipped = initiallySkipped;
  let last = 0;
  let emitted = -1;
  const emit = () => {
    last = Date.now();
    if (emitted === done) return;
    emitted = done;
    onProgress?.({ done, total, skipped });
  };
  return {
    step(failed: boolean) {
      done++;
      if (failed) skipped++;
      if (Date.now() - last >= PROGRESS_INTERVAL_MS || done === total) emit();
    },
    restart(alreadySkipped: number) {
      done = alreadySkipped;
      skipped = alreadySkipped;
      emitted = -1;
    },
    flush: emit,
  };
}

function nothingToImport(folder: string, seen: number, skipped: SkippedFile[]): ImageImportError {
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  const common = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([reason, n]) => `${n} × ${reason}`);
  const why = common.length > 0 ? `; most common: ${common.join('; ')}` : '';
  return new ImageImportError(
    `No importable images in "${folder}": 0 of ${seen} files were PNG/JPEG images a class subfolder holds` +
      ` (see the report${why}). Put PNG or JPEG images in one subfolder per class and import again`,
    skipped,
  );
}
