// Chosen images of a dataset by index (the images behind a confusion-matrix cell, an image to
// inspect): read with one positioned read each, so a large dataset is never loaded whole for a
// gallery of thumbnails.
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILTIN_FASHION_MNIST_MINI, DATASET_FILES, imageBytes } from '../../../shared/datasetFormat';
import { loadBuiltinFashionMnistMini } from './builtinDataset';
import { datasetDir } from './datasetPaths';
import { damaged, readManifest } from './datasetStore';

/** Images per call at most: a gallery page, not the whole set. */
export const MAX_IMAGES_PER_CALL = 4096;

export interface DatasetImages {
  id: string;
  classes: string[];
  channels: number;
  height: number;
  width: number;
  /** The images at `indices`, in that order, uint8 NCHW, one after another. */
  images: Uint8Array;
  labels: number[];
}

export async function datasetImages(home: string, id: string, indices: readonly number[], opts: { dataRoot?: string } = {}): Promise<DatasetImages> {
  if (indices.length > MAX_IMAGES_PER_CALL) throw new Error(`Ask for at most ${MAX_IMAGES_PER_CALL} images at a time, not ${indices.length}`);
  if (id === BUILTIN_FASHION_MNIST_MINI) {
    const d = await loadBuiltinFashionMnistMini(opts);
    const size = d.channels * d.height * d.width;
    const images = new Uint8Array(indices.length * size);
    indices.forEach((index, i) => {
      checkIndex(index, d.labels.length, id);
      images.set(d.images.subarray(index * size, (index + 1) * size), i * size);
    });
    return { id, classes: d.classes, channels: d.channels, height: d.height, width: d.width, images, labels: indices.map((i) => d.labels[i]!) };
  }
  const m = await readManifest(home, id);
  const dir = datasetDir(home, id);
  const labels = await readFile(join(dir, DATASET_FILES.labels));
  if (labels.length !== m.count) throw damaged(id, DATASET_FILES.labels, m.count, labels.length);
  const size = imageBytes(m);
  const images = new Uint8Array(indices.length * size);
  const fh = await open(join(dir, DATASET_FILES.images), 'r');
  try {
    for (const [i, index] of indices.entries()) {
      checkIndex(index, m.count, id);
      const { bytesRead } = await fh.read(images, i * size, size, index * size);
      if (bytesRead !== size) throw damaged(id, DATASET_FILES.images, m.count * size, `fewer (image ${index} is cut short)`);
    }
  } finally {
    await fh.close();
  }
  return { id, classes: m.classes, channels: m.channels, height: m.height, width: m.width, images, labels: indices.map((i) => labels[i]!) };
}

function checkIndex(index: number, count: number, id: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new Error(`Dataset ${id} has ${count} images; there is no image ${index}`);
}
