// Walks an image folder laid out like torchvision's ImageFolder (root/<class>/**/<image>) and lists
// the candidate image files, plus every entry it leaves out and why. Nothing is read but directory
// listings and link targets. Rules (docs/formats/image-import.md):
// - class names are the root's subfolder names, sorted by code point (Python's sorted());
// - files at any depth inside a class folder belong to that class;
// - names starting with '.' are hidden: skipped and reported (a hidden folder as one entry);
// - files directly in the root are reported, as are files in class folders whose extension is not
//   .png/.jpg/.jpeg/.bmp/.webp (a root holding only MNIST IDX files is imported as IDX instead:
//   see idxFolder.ts);
// - symbolic links are followed only when their real target stays inside the root; a link whose
//   target is one of its own ancestor folders is a loop and is reported, not followed.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Dirent } from 'node:fs';
import type { SkippedFile } from '../../../shared/datasetFormat';

export interface CandidateFile {
  classIndex: number;
  /** Path relative to the root, '/'-separated: what reports and ordering use. */
  rel: string;
  /** Real path to read (links resolved, already checked to lie inside the root). */
  path: string;
}

export interface FolderScan {
  root: string;
  classes: string[];
  /** Sorted by class, then by relative path. */
  files: CandidateFile[];
  skipped: SkippedFile[];
}

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.webp'];

/** Bounds the walk (and its memory) on a folder that is far too big or full of link diamonds. */
export const MAX_SCANNED_FILES = 2_000_000;

/** Python's string order: by Unicode code point. JS's default sort compares UTF-16 units, which
 *  orders characters above U+FFFF before U+E000..U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

export function hasImageExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext) && lower.length > ext.length);
}

/** What an entry is, after following an allowed link. */
interface Kind {
  isDirectory(): boolean;
  isFile(): boolean;
}

type Resolved = { ok: true; path: string; stats: Kind } | { ok: false; reason: string };

interface Walk {
  root: string;
  files: Array<{ classIndex: number; rel: string; path: string }>;
  skipped: SkippedFile[];
  signal?: AbortSignal;
}

export async function scanImageFolder(folder: string, signal?: AbortSignal): Promise<FolderScan> {
  let root: string;
  try {
    root = await realpath(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`Cannot import "${folder}": the folder does not exist`);
    throw new Error(`Cannot import "${folder}": ${(err as Error).message}`);
  }
  if (!(await stat(root)).isDirectory()) {
    throw new Error(`Cannot import "${folder}": it is a file; choose the folder that holds one subfolder per class`);
  }
  const walk: Walk = { root, files: [], skipped: [], signal };
  const classes: string[] = [];
  for (const entry of await listSorted(root, '', walk)) {
    const name = entry.name;
    const full = join(root, name);
    if (name.startsWith('.')) {
      walk.skipped.push({ file: name, reason: entry.isDirectory() ? 'hidden folder' : 'hidden file' });
      continue;
    }
    const target = await resolveEntry(full, entry, walk);
    if (!target.ok) {
      walk.skipped.push({ file: name, reason: target.reason });
    } else if (target.stats.isDirectory() && target.path === root) {
      walk.skipped.push({ file: name, reason: 'symbolic link loop: it points at a folder that contains it' });
    } else if (target.stats.isDirectory()) {
      classes.push(name);
      await walkClass(classes.length - 1, target.path, name, [root, target.path], walk);
    } else if (target.stats.isFile()) {
      walk.skipped.push({ file: name, reason: 'file at the top level: images must sit in a class subfolder' });
    } else {
      walk.skipped.push({ file: name, reason: 'not a file or folder' });
    }
  }
  const files = walk.files.sort((a, b) => a.classIndex - b.classIndex || compareCodePoints(a.rel, b.rel));
  return { root, classes, files, skipped: walk.skipped };
}

async function walkClass(classIndex: number, dir: string, rel: string, ancestors: string[], walk: Walk): Promise<void> {
  for (const entry of await listSorted(dir, rel, walk)) {
    const name = entry.name;
    const relPath = `${rel}/${name}`;
    const full = join(dir, name);
    if (name.startsWith('.')) {
      walk.skipped.push({ file: relPath, reason: entry.isDirectory() ? 'hidden folder' : 'hidden file' });
      continue;
    }
    const target = await resolveEntry(full, entry, walk);
    if (!target.ok) {
      walk.skipped.push({ file: relPath, reason: target.reason });
    } else if (target.stats.isDirectory()) {
      if (ancestors.includes(target.path)) {
        walk.skipped.push({ file: relPath, reason: 'symbolic link loop: it points at a folder that contains it' });
        continue;
      }
      await walkClass(classIndex, target.path, relPath, [...ancestors, target.path], walk);
    } else if (!hasImageExtension(name)) {
      walk.skipped.push({ file: relPath, reason: 'not a PNG, JPEG, BMP or WebP file' });
    } else if (!target.stats.isFile()) {
      // A FIFO or device named like an image: opening it could block forever, so never read it.
      walk.skipped.push({ file: relPath, reason: 'unreadable: not a regular file' });
    } else {
      if (walk.files.length >= MAX_SCANNED_FILES) {
        throw new Error(`"${walk.root}" holds more than ${MAX_SCANNED_FILES.toLocaleString('en-US')} image files; import a smaller folder`);
      }
      walk.files.push({ classIndex, rel: relPath, path: target.path });
    }
  }
}

/** Directory entries sorted by name. Their types come from the listing itself, so plain files and
 *  folders cost no extra system call; only links are looked at further. */
async function listSorted(dir: string, rel: string, walk: Walk): Promise<Dirent[]> {
  if (walk.signal?.aborted) throw new Error('import cancelled');
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => compareCodePoints(a.name, b.name));
  } catch (err) {
    if (rel === '') throw new Error(`Cannot import "${walk.root}": cannot list the folder (${(err as Error).message})`);
    walk.skipped.push({ file: `${rel}/`, reason: `unreadable folder: ${(err as Error).message}` });
    return [];
  }
}

/** For a link: realpath, the inside-the-root check, then stat of the real target. */
async function resolveEntry(full: string, entry: Dirent, walk: Walk): Promise<Resolved> {
  if (!entry.isSymbolicLink()) return { ok: true, path: full, stats: entry };
  let real: string;
  try {
    real = await realpath(full);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { ok: false, reason: 'symbolic link loop' };
    if (code === 'ENOENT') return { ok: false, reason: 'broken symbolic link: its target does not exist' };
    return { ok: false, reason: `unreadable symbolic link: ${(err as Error).message}` };
  }
  if (real !== walk.root && !real.startsWith(walk.root.endsWith(sep) ? walk.root : walk.root + sep)) {
    return { ok: false, reason: 'symbolic link points outside the folder' };
  }
  try {
    return { ok: true, path: real, stats: await stat(real) };
  } catch (err) {
    return { ok: false, reason: `unreadable: ${(err as Error).message}` };
  }
}
