// What every importer (IDX, CIFAR-10, image folders) shares: option defaults, progress reports,
// cancellation, and the result shape. Importers write through DatasetWriter and abort it on any
// failure or cancellation, so a refused or cancelled import leaves nothing behind.
import type { DatasetManifest, SkippedFile } from '../../../shared/datasetFormat';
import type { DatasetWriter } from './datasetWriter';
import { checkValFraction } from './stratifiedSplit';

export const DEFAULT_VAL_FRACTION = 0.1;
export const DEFAULT_SPLIT_SEED = 42;

export interface ImportProgress {
  /** Images (or files, for folder imports) handled so far and in total. */
  done: number;
  total: number;
}

export interface CommonImportOptions {
  name?: string;
  valFraction?: number;
  seed?: number;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
}

export interface ImportResult {
  manifest: DatasetManifest;
  imported: number;
  skipped: SkippedFile[];
}

export class ImportCancelledError extends Error {
  override name = 'AbortError';
  constructor() {
    super('Import cancelled; nothing was saved');
  }
}

/** Checks the split options before any file is read, so a typo does not cost a whole import. */
export function checkCommonOptions(opts: CommonImportOptions): void {
  if (opts.valFraction !== undefined) checkValFraction(opts.valFraction);
  if (opts.seed !== undefined && !Number.isInteger(opts.seed)) {
    throw new Error(`Split seed must be a whole number, got ${String(opts.seed)}`);
  }
  throwIfCancelled(opts.signal);
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ImportCancelledError();
}

/** Runs `fill` against an open writer and commits; on any error (or cancellation) the writer is
 *  aborted first, so the temporary folder is gone before the error reaches the caller. */
export async function fillAndCommit(
  writer: DatasetWriter,
  opts: CommonImportOptions,
  skipped: SkippedFile[],
  fill: () => Promise<void>,
): Promise<ImportResult> {
  try {
    await fill();
    throwIfCancelled(opts.signal);
    const manifest = await writer.commit({
      valFraction: opts.valFraction ?? DEFAULT_VAL_FRACTION,
      seed: opts.seed ?? DEFAULT_SPLIT_SEED,
      report: { skipped },
    });
    return { manifest, imported: manifest.count, skipped };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/** Calls onProgress at most every `every` steps and always at the end; also the cancellation point. */
export function progressReporter(opts: CommonImportOptions, total: number, every = 500): (done: number) => void {
  return (done) => {
    throwIfCancelled(opts.signal);
    if (opts.onProgress && (done % every === 0 || done === total)) opts.onProgress({ done, total });
  };
}
