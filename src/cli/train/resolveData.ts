// --data for `convlab train`: builtin:…, a stored dataset id, or dataset files (IDX, CIFAR-10)
// that are imported into the store first, so the run can be opened with its data in the app.

import { basename, dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { importCifar10, importIdx, loadDataset } from '../../main/services/datasets/index';
import type { LoadedDataset } from '../../shared/datasetFormat';

export async function resolveTrainingData(home: string, data: string, valFraction: number | undefined, seed: number): Promise<LoadedDataset> {
  if (data.startsWith('builtin:') || !/[\\/.]/.test(data)) return loadDataset(home, data);
  const files = data.split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of files) if (!existsSync(f)) throw new Error(`--data: no such file "${f}" (give builtin:fashion-mnist-mini, a stored dataset id, IDX files or CIFAR-10 .bin files)`);
  if (files.every((f) => f.toLowerCase().endsWith('.bin'))) {
    const r = await importCifar10(home, { files, valFraction, seed });
    return loadDataset(home, r.manifest.id);
  }
  const images = files[0]!;
  const labels = files[1] ?? idxLabelsNextTo(images);
  const r = await importIdx(home, { images, labels, valFraction, seed });
  return loadDataset(home, r.manifest.id);
}

/** train-images-idx3-ubyte[.gz] → train-labels-idx1-ubyte[.gz] in the same folder. */
function idxLabelsNextTo(images: string): string {
  const name = basename(images);
  const guess = name.replace('images-idx3', 'labels-idx1').replace('images.idx3', 'labels.idx1');
  const path = join(dirname(images), guess);
  if (guess === name || !existsSync(path)) {
    throw new Error(`--data: cannot find the labels file next to ${images}; give both as --data IMAGES,LABELS`);
  }
  return path;
}
