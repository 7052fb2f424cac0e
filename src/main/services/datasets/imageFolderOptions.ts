// Checks and completes the options of importImageFolder. Everything a caller can get wrong is
// refused here, before the folder is walked, with a message naming the option and what it takes.
import { basename, resolve } from 'node:path';
import { DatasetNameSchema, MAX_IMAGE_SIDE } from '../../../shared/datasetFormat';
import { FIT_MODES } from './fitImage';
import type { FitMode } from './fitImage';
import { checkValFraction } from './stratifiedSplit';
import { defaultWorkerCount } from './decodePool';

export interface ImportProgress {
  /** Candidate image files handled so far (imported or skipped). */
  done: number;
  /** Candidate image files found: those in class folders with a .png/.jpg/.jpeg name. */
  total: number;
  /** Candidate image files refused so far. */
  skipped: number;
}

export interface ImportImageFolderOptions {
  path: string;
  name?: string;
  /** Side length, or [height, width]. Default 28 for grayscale datasets, 32 for RGB. */
  size?: number | [number, number];
  /** Default: 1 if every image declares grayscale, else 3. */
  channels?: 1 | 3;
  fit?: FitMode;
  valFraction?: number;
  seed?: number;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  workers?: number;
}

export interface ResolvedImportOptions {
  folder: string;
  name: string;
  size: [number, number] | null;
  channels: 1 | 3 | null;
  fit: FitMode;
  valFraction: number;
  seed: number;
  workers: number;
}

export const MAX_WORKERS = 32;

export function defaultSize(channels: 1 | 3): [number, number] {
  return channels === 1 ? [28, 28] : [32, 32];
}

function checkSide(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_IMAGE_SIDE) {
    throw new Error(`Image import: ${what} must be a whole number from 1 to ${MAX_IMAGE_SIDE}, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function resolveImportOptions(opts: ImportImageFolderOptions): ResolvedImportOptions {
  if (opts === null || typeof opts !== 'object') throw new Error('Image import: options must be an object with a "path"');
  if (typeof opts.path !== 'string' || opts.path.trim() === '') {
    throw new Error('Image import: "path" must name the folder that holds one subfolder per class');
  }
  const folder = resolve(opts.path);
  let size: [number, number] | null = null;
  if (Array.isArray(opts.size)) {
    if (opts.size.length !== 2) throw new Error(`Image import: size must be a number or [height, width], got ${JSON.stringify(opts.size)}`);
    size = [checkSide(opts.size[0], 'size height'), checkSide(opts.size[1], 'size width')];
  } else if (opts.size !== undefined) {
    const side = checkSide(opts.size, 'size');
    size = [side, side];
  }
  if (opts.channels !== undefined && opts.channels !== 1 && opts.channels !== 3) {
    throw new Error(`Image import: channels must be 1 (grayscale) or 3 (RGB), got ${JSON.stringify(opts.channels)}`);
  }
  const fit = opts.fit ?? 'resize';
  if (!FIT_MODES.includes(fit)) {
    throw new Error(`Image import: fit must be one of ${FIT_MODES.join(', ')}, got ${JSON.stringify(fit)}`);
  }
  const valFraction = opts.valFraction ?? 0.1;
  checkValFraction(valFraction);
  const seed = opts.seed ?? 42; // the split seed every importer defaults to
  if (!Number.isInteger(seed)) throw new Error(`Image import: seed must be an integer, got ${JSON.stringify(seed)}`);
  const workers = opts.workers ?? defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new Error(`Image import: workers must be a whole number from 1 to ${MAX_WORKERS}, got ${JSON.stringify(workers)}`);
  }
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') {
    throw new Error('Image import: onProgress must be a function');
  }
  const named = DatasetNameSchema.safeParse(opts.name ?? (basename(folder) || 'images'));
  if (!named.success) throw new Error(`Image import: name is not valid: ${named.error.issues[0]?.message}`);
  const name = named.data;
  return { folder, name, size, channels: opts.channels ?? null, fit, valFraction, seed, workers };
}
