// A quick look at a folder before importing it (LabApi datasets.scanFolder): its classes and their
// file counts, the sizes the images declare, colour or grey, what the import would leave out, and
// the size and channels the import form should propose. Nothing is decoded: the walk is the
// importer's own (imageFolderScan.ts) and each header is read from a short prefix of the file
// with the importer's header readers (imageHeader.ts), so what the scan says is what the import
// will find.
//
// "Quick": a folder of 60,000 images is judged from at most MAX_PROBED headers, spread evenly over
// each class (every class is represented, and its first and last files are in the sample); the
// report says how many it read. Headers are read a few KiB at a time, and the event loop gets a
// turn every so often, so a host serving other requests is not frozen by a large folder.
//
// ScannedFolders lets the desktop app import the folder its dialog returned to the scan without
// asking again: the renderer never names a path over IPC, it names the scan (an unguessable id).
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { SkippedFile } from '../../../shared/datasetFormat';
import type { FolderScanReport } from '../../../shared/labApi';
import { DEFAULT_MAX_FILE_BYTES, readImageFile } from './decodeFileRead';
import { findIdxPairs } from './idxFolder';
import { checkDimensions, DEFAULT_IMAGE_LIMITS, readImageHeader, type ImageHeader } from './imageHeader';
import { scanImageFolder, type CandidateFile } from './imageFolderScan';

export const MAX_PROBED = 1000;
/** The import form's size range. */
const MIN_SIDE = 4;
const MAX_SIDE = 256;
const MAX_SIZES_LISTED = 12;
const FIRST_READ = 4096;

type Probe = { ok: true; header: ImageHeader } | { ok: false; reason: string };

/** The header of one file, read 4 KiB at a time until it is complete (a JPEG's EXIF can push it far). */
export function probeHeader(path: string): Probe {
  for (let want = FIRST_READ; ; want *= 4) {
    const read = readImageFile(path, DEFAULT_MAX_FILE_BYTES, want);
    if (!read.ok) return read;
    const result = readImageHeader(read.bytes, read.complete);
    if (result.status === 'bad') return { ok: false, reason: result.reason };
    if (result.status === 'ok') {
      const tooBig = checkDimensions(result.header, DEFAULT_IMAGE_LIMITS);
      return tooBig ? { ok: false, reason: tooBig } : { ok: true, header: result.header };
    }
  }
}

/** Up to `limit` files spread evenly over every class, each class getting its share. */
export function sampleFiles(files: readonly CandidateFile[], classCount: number, limit = MAX_PROBED): CandidateFile[] {
  if (files.length <= limit) return [...files];
  const byClass: CandidateFile[][] = Array.from({ length: classCount }, () => []);
  for (const f of files) byClass[f.classIndex]?.push(f);
  const share = Math.max(1, Math.floor(limit / Math.max(1, byClass.filter((c) => c.length > 0).length)));
  const out: CandidateFile[] = [];
  for (const list of byClass) {
    const n = Math.min(share, list.length);
    for (let i = 0; i < n; i++) out.push(list[n === 1 ? 0 : Math.round((i * (list.length - 1)) / (n - 1))]!);
  }
  return out;
}

/** The proposal: the most common declared size's longer side (in the form's range), colour if any file is. */
export function proposeShape(sizes: FolderScanReport['sizes'], color: number): FolderScanReport['proposed'] {
  const channels: 1 | 3 = color > 0 ? 3 : 1;
  const top = sizes[0];
  if (!top) return { size: channels === 1 ? 28 : 32, channels, note: 'no readable image to measure: the usual size for this kind of image' };
  const side = Math.max(top.width, top.height);
  const size = Math.min(MAX_SIDE, Math.max(MIN_SIDE, side));
  const notes: string[] = [];
  if (top.width !== top.height) notes.push(`the images are ${top.width}×${top.height}: the import makes them square (see Fit)`);
  if (size !== side) notes.push(`${side} px is outside ${MIN_SIDE}–${MAX_SIDE} px`);
  else if (size > 64) notes.push('large images train slowly; 32–64 px is usual for a small CNN');
  return { size, channels, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
}

export type FolderScan = Omit<FolderScanReport, 'scanId'>;

export async function scanFolderForImport(folder: string): Promise<FolderScan> {
  const idx = await findIdxPairs(folder);
  if (idx) {
    return {
      path: resolve(folder), layout: 'idx', classes: [], files: idx.length, probed: 0, sizes: [], color: 0, grey: 0, skipped: [],
      proposed: { size: 28, channels: 1, note: 'MNIST IDX files: they are imported at their stored size, grey' },
    };
  }
  const scan = await scanImageFolder(folder);
  const counts = new Array<number>(scan.classes.length).fill(0);
  for (const f of scan.files) counts[f.classIndex]!++;
  const sample = sampleFiles(scan.files, scan.classes.length);
  const bySize = new Map<string, { width: number; height: number; count: number }>();
  const skipped: SkippedFile[] = [...scan.skipped];
  let color = 0;
  let grey = 0;
  for (let i = 0; i < sample.length; i++) {
    if (i % 64 === 63) await new Promise((r) => setImmediate(r));
    const probe = probeHeader(sample[i]!.path);
    if (!probe.ok) {
      skipped.push({ file: sample[i]!.rel, reason: probe.reason });
      continue;
    }
    const { width, height } = probe.header;
    const key = `${width}x${height}`;
    const entry = bySize.get(key) ?? { width, height, count: 0 };
    entry.count++;
    bySize.set(key, entry);
    if (probe.header.color) color++;
    else grey++;
  }
  const sizes = [...bySize.values()].sort((a, b) => b.count - a.count || b.width * b.height - a.width * a.height).slice(0, MAX_SIZES_LISTED);
  return {
    path: scan.root,
    layout: 'image-folder',
    classes: scan.classes.map((name, i) => ({ name, files: counts[i]! })),
    files: scan.files.length,
    probed: sample.length,
    sizes,
    color,
    grey,
    proposed: proposeShape(sizes, color),
    skipped,
  };
}

/** Scans a host has answered, so an import can name one instead of a path (Electron IPC). */
export class ScannedFolders {
  private readonly paths = new Map<string, string>();

  constructor(private readonly keep = 32) {}

  remember(scan: FolderScan): FolderScanReport {
    const scanId = `scan-${randomBytes(12).toString('hex')}`;
    this.paths.set(scanId, scan.path);
    // The oldest are forgotten first (a Map keeps insertion order).
    while (this.paths.size > this.keep) this.paths.delete(this.paths.keys().next().value!);
    return { scanId, ...scan };
  }

  pathOf(scanId: string): string {
    const path = this.paths.get(scanId);
    if (path === undefined) throw new Error('That folder scan is no longer known (the app restarted, or many folders were scanned since): choose the folder again');
    return path;
  }
}
