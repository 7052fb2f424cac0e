// What a path given to "import" is: a folder of class subfolders, a folder of MNIST IDX files, an
// IDX images file (whose labels file usually sits beside it), or CIFAR-10 binary batches. The CLI takes any of them after
// `datasets import`, and the Electron dialogs return plain file lists, so both need this guess.
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { IDX_NAME, findIdxPairs, idxLabelsName } from './datasets/idxFolder';
import type { IdxPair } from './datasets/importIdx';

export type ImportSource =
  | { kind: 'folder'; path: string }
  | { kind: 'idx'; images: string; labels: string; more?: IdxPair[]; folder?: string }
  | { kind: 'cifar10'; files: string[] };

const CIFAR_NAME = /\.bin(\.gz)?$/i;
const LABELS_NAME = /labels|idx1/i;

async function kindOf(path: string): Promise<'file' | 'folder'> {
  let s;
  try {
    s = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${path} does not exist; check the path`, { cause: e });
    throw new Error(`Cannot read ${path} (${code ?? (e as Error).message})`, { cause: e });
  }
  if (s.isDirectory()) return 'folder';
  if (s.isFile()) return 'file';
  throw new Error(`${path} is neither a file nor a folder; give a folder of class subfolders, IDX files or CIFAR-10 .bin files`);
}

/**
 * The labels file that pairs with an IDX images file: 'images' → 'labels' and 'idx3'/'idx4' →
 * 'idx1' in the name (train-images-idx3-ubyte.gz ↔ train-labels-idx1-ubyte.gz,
 * t10k-images.idx3-ubyte ↔ t10k-labels.idx1-ubyte).
 */
export async function findIdxLabels(imagesPath: string): Promise<string> {
  const guess = idxLabelsName(basename(imagesPath));
  const candidate = guess === null ? null : join(dirname(imagesPath), guess);
  if (candidate !== null && (await kindOf(candidate).catch(() => null)) === 'file') return candidate;
  throw new Error(
    `No labels file found beside ${imagesPath} (looked for ${candidate ?? 'a name with "labels" in place of "images"'}); pass the labels file with --labels`,
  );
}

/** Sorts one or two chosen IDX files into images and labels; a lone images file finds its labels. */
export async function pairIdxFiles(files: string[], labels?: string): Promise<{ images: string; labels: string }> {
  const paths = files.map((f) => resolve(f));
  if (labels !== undefined) {
    if (paths.length !== 1) throw new Error('With a labels file, give exactly one IDX images file');
    return { images: paths[0], labels: resolve(labels) };
  }
  if (paths.length === 1) return { images: paths[0], labels: await findIdxLabels(paths[0]) };
  if (paths.length === 2) {
    const labelFiles = paths.filter((p) => LABELS_NAME.test(basename(p)));
    if (labelFiles.length === 1) return { images: paths.find((p) => p !== labelFiles[0])!, labels: labelFiles[0] };
  }
  throw new Error('Give one IDX images file (its labels file is found beside it) or an images file and its labels file');
}

/** Classifies the paths of a `datasets import`; every path must exist and be of one kind. */
export async function classifyImportPaths(paths: string[], opts: { labels?: string } = {}): Promise<ImportSource> {
  if (paths.length === 0) throw new Error('Give the folder or files to import');
  const resolved = paths.map((p) => resolve(p));
  const kinds = await Promise.all(resolved.map(kindOf));
  if (kinds.includes('folder')) {
    if (resolved.length > 1) throw new Error('Give one folder to import (a folder holds one subfolder per class)');
    // A folder of MNIST IDX files (MNIST/raw): its pairs, all into one dataset.
    const idx = await findIdxPairs(resolved[0]);
    if (idx) {
      if (opts.labels !== undefined) throw new Error('--labels is for single IDX files; this folder\'s labels files sit beside their images');
      return { kind: 'idx', images: idx[0].images, labels: idx[0].labels, more: idx.slice(1), folder: resolved[0] };
    }
    if (opts.labels !== undefined) throw new Error('--labels is for IDX files, not for a folder of images');
    return { kind: 'folder', path: resolved[0] };
  }
  if (resolved.every((p) => IDX_NAME.test(basename(p)))) {
    return { kind: 'idx', ...(await pairIdxFiles(resolved, opts.labels)) };
  }
  if (resolved.every((p) => CIFAR_NAME.test(basename(p)))) {
    if (opts.labels !== undefined) throw new Error('--labels is for IDX files; CIFAR-10 batches hold their labels');
    return { kind: 'cifar10', files: resolved };
  }
  const odd = resolved.find((p) => !IDX_NAME.test(basename(p)) && !CIFAR_NAME.test(basename(p))) ?? resolved[0];
  throw new Error(
    `Cannot tell what ${odd} is: give a folder with one subfolder per class, an IDX images file ` +
      `(like train-images-idx3-ubyte.gz) or CIFAR-10 batches (data_batch_1.bin …)`,
  );
}
