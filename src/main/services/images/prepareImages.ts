// New images as a model takes them: decoded (PNG, JPEG, BMP, WebP; any size, grey or colour) and
// fitted to the input the run's preprocessing names (channels, H×W, fit), as uint8 planar pixels.
// The engine then normalises them on the device exactly as it did the training images. Used by
// `convlab predict`, the app's Predict panel and Inspect (through the LabApi) — one decoder path,
// the one dataset imports use.

import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import type { SkippedFile } from '../../../shared/datasetFormat';
import type { Preprocessing } from '../../../shared/runRecord';
import { DEFAULT_MAX_FILE_BYTES } from '../datasets/decodeFileRead';
import { decodeImageBytes, type DecodeTarget } from '../datasets/decodeImage';
import { DecodePool, defaultWorkerCount } from '../datasets/decodePool';
import { DEFAULT_IMAGE_LIMITS, readImageHeader } from '../datasets/imageHeader';
import { IMAGE_EXTENSIONS } from '../datasets/imageFolderScan';

export interface PreparedImages {
  /** The files that decoded, in order; image i is pixels[i·C·H·W, (i+1)·C·H·W). */
  files: string[];
  pixels: Uint8Array;
  skipped: SkippedFile[];
}

export function decodeTargetOf(p: Preprocessing): DecodeTarget {
  const [channels, height, width] = p.input;
  return { channels: channels as 1 | 3, height, width, fit: p.fit };
}

/** Files and folders (walked recursively, sorted) → the images that decode; the rest are skipped with their reason. */
export async function prepareImageFiles(paths: readonly string[], preprocessing: Preprocessing, opts: { workers?: number } = {}): Promise<PreparedImages> {
  const { files, skipped } = await listImageFiles(paths);
  const target = decodeTargetOf(preprocessing);
  const size = target.channels * target.height * target.width;
  if (files.length === 0) return { files: [], pixels: new Uint8Array(0), skipped };
  const pool = new DecodePool(Math.max(1, Math.min(opts.workers ?? defaultWorkerCount(), files.length)), {
    role: 'convlab-decode', limits: DEFAULT_IMAGE_LIMITS, maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  });
  try {
    const outcomes = await Promise.all(files.map((f) => pool.decode(f, target)));
    const kept: string[] = [];
    const images: Uint8Array[] = [];
    outcomes.forEach((o, i) => {
      if (o.ok) {
        kept.push(files[i]!);
        images.push(o.data);
      } else skipped.push({ file: files[i]!, reason: o.reason });
    });
    const pixels = new Uint8Array(images.length * size);
    images.forEach((img, i) => pixels.set(img, i * size));
    return { files: kept, pixels, skipped };
  } finally {
    await pool.close();
  }
}

/** One image's bytes (an upload from the app) → its pixels at the model's input, and its own size. */
export async function prepareImageBytes(bytes: Uint8Array, preprocessing: Preprocessing): Promise<{ pixels: Uint8Array; original: { width: number; height: number; channels: number } }> {
  const header = readImageHeader(bytes, true);
  if (header.status !== 'ok') throw new Error(header.status === 'bad' ? header.reason : 'truncated file');
  const out = await decodeImageBytes(bytes, decodeTargetOf(preprocessing));
  if (!out.ok) throw new Error(out.reason);
  const h = header.header;
  return { pixels: out.data, original: { width: h.width, height: h.height, channels: h.color ? 3 : 1 } };
}

async function listImageFiles(paths: readonly string[]): Promise<{ files: string[]; skipped: SkippedFile[] }> {
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  for (const given of paths) {
    const path = resolve(given);
    const s = await stat(path).catch((e: NodeJS.ErrnoException) => {
      skipped.push({ file: given, reason: e.code === 'ENOENT' ? 'no such file or folder' : `cannot read it (${e.code ?? e.message})` });
      return null;
    });
    if (!s) continue;
    if (s.isFile()) {
      files.push(path);
      continue;
    }
    if (!s.isDirectory()) {
      skipped.push({ file: given, reason: 'not a file or folder' });
      continue;
    }
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    const inside: string[] = [];
    for (const e of entries) {
      if (!e.isFile()) continue;
      const full = join(e.parentPath, e.name);
      const rel = relative(path, full);
      if (rel.split(/[\\/]/).some((part) => part.startsWith('.'))) continue; // hidden files and folders
      if (IMAGE_EXTENSIONS.includes(extname(e.name).toLowerCase())) inside.push(full);
      else skipped.push({ file: full, reason: `not an image file (${IMAGE_EXTENSIONS.join(', ')})` });
    }
    files.push(...inside.sort());
  }
  return { files, skipped };
}
