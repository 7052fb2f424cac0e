// A folder that holds MNIST-style IDX files at its top level (what torchvision's MNIST download
// leaves in MNIST/raw: train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-… the
// same) is an IDX dataset, not an image folder with "files at the top level". Folder imports ask
// here first: with no class subfolders and at least one images file whose labels file sits beside
// it, the pairs are imported as IDX (every pair into one dataset, like CIFAR-10's batches).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { IdxPair } from './importIdx';

/** Names that look like IDX files: MNIST's own (…-idx3-ubyte) and the common .idx3 / .ubyte ones. */
export const IDX_NAME = /idx\d|ubyte/i;
const IMAGES_NAME = /images|idx[34]/i;

/** The labels file name that pairs with an images file name, or null when the name says nothing:
 *  'images' → 'labels' and 'idx3'/'idx4' → 'idx1' (train-images-idx3-ubyte.gz ↔
 *  train-labels-idx1-ubyte.gz). */
export function idxLabelsName(imagesName: string): string | null {
  const guess = imagesName.replace(/images/i, (m) => (m === 'IMAGES' ? 'LABELS' : 'labels')).replace(/idx[34]/i, 'idx1');
  return guess === imagesName ? null : guess;
}

/**
 * The IDX pairs at the top level of `folder`, train first, or null when the folder is not an IDX
 * folder (it has class subfolders, or no images file with its labels file beside it). An images
 * file without its labels file makes the folder an error, not an image folder.
 */
export async function findIdxPairs(folder: string): Promise<IdxPair[] | null> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return null; // the image-folder path reports an unreadable folder in its own words
  }
  const visible = entries.filter((e) => !e.name.startsWith('.'));
  if (visible.some((e) => e.isDirectory())) return null;
  const files = new Set(visible.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name));
  const imageFiles = [...files].filter((n) => IDX_NAME.test(n) && IMAGES_NAME.test(n) && !/labels|idx1/i.test(n)).sort(trainFirst);
  if (imageFiles.length === 0) return null;
  const pairs: IdxPair[] = [];
  for (const name of imageFiles) {
    const labels = idxLabelsName(name);
    if (labels === null || !files.has(labels)) {
      throw new Error(`${join(folder, name)} has no labels file beside it (looked for ${labels ?? 'a name with "labels" in place of "images"'}); add it, or import the files with --labels`);
    }
    pairs.push({ images: join(folder, name), labels: join(folder, labels) });
  }
  return pairs;
}

/** 'train' files before the others ('t10k', 'test'), then by name: the dataset's image order. */
function trainFirst(a: string, b: string): number {
  const rank = (n: string) => (/train/i.test(n) ? 0 : 1);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
