// Loads a whole dataset into memory for the trainer: a stored one by id, or the builtin by its
// `builtin:` reference. Stored files are checked against the manifest (sizes, label range, split
// flags) so a damaged dataset fails here with a message, not later as garbage in a training run.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUILTIN_FASHION_MNIST_MINI,
  DATASET_FILES,
  imageBytes,
  type LoadedDataset,
} from '../../../shared/datasetFormat';
import { loadBuiltinFashionMnistMini } from './builtinDataset';
import { datasetDir, unknownDatasetError } from './datasetPaths';
import { damaged, readManifest } from './datasetStore';
import { indicesWithFlag, SPLIT_TRAIN, SPLIT_VAL } from './stratifiedSplit';

export type { LoadedDataset } from '../../../shared/datasetFormat';

export async function loadDataset(home: string, ref: string, opts: { dataRoot?: string } = {}): Promise<LoadedDataset> {
  if (typeof ref !== 'string') throw unknownDatasetError(String(ref));
  if (ref.startsWith('builtin:')) {
    if (ref === BUILTIN_FASHION_MNIST_MINI) return loadBuiltinFashionMnistMini({ dataRoot: opts.dataRoot });
    throw unknownDatasetError(ref);
  }
  const manifest = await readManifest(home, ref); // validates the id and the manifest
  const dir = datasetDir(home, ref);
  const [images, labels, split] = await Promise.all([
    readFile(join(dir, DATASET_FILES.images)),
    readFile(join(dir, DATASET_FILES.labels)),
    readFile(join(dir, DATASET_FILES.split)),
  ]).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`Dataset ${ref} is damaged: ${err.message}; delete it and import the source again`);
  });
  const n = manifest.count;
  if (images.length !== n * imageBytes(manifest)) throw damaged(ref, DATASET_FILES.images, n * imageBytes(manifest), images.length);
  if (labels.length !== n) throw damaged(ref, DATASET_FILES.labels, n, labels.length);
  if (split.length !== n) throw damaged(ref, DATASET_FILES.split, n, split.length);
  for (let i = 0; i < n; i++) {
    if (labels[i] >= manifest.classes.length) {
      throw new Error(`Dataset ${ref} is damaged: image ${i} has label ${labels[i]} but there are ${manifest.classes.length} classes`);
    }
    if (split[i] !== SPLIT_TRAIN && split[i] !== SPLIT_VAL) {
      throw new Error(`Dataset ${ref} is damaged: ${DATASET_FILES.split} has flag ${split[i]} at ${i} (0 = train, 1 = val)`);
    }
  }
  return {
    id: manifest.id,
    name: manifest.name,
    classes: manifest.classes,
    channels: manifest.channels,
    height: manifest.height,
    width: manifest.width,
    images: new Uint8Array(images.buffer, images.byteOffset, images.byteLength),
    labels: new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength),
    trainIndices: indicesWithFlag(split, SPLIT_TRAIN),
    valIndices: indicesWithFlag(split, SPLIT_VAL),
    mean: manifest.mean,
    std: manifest.std,
    ...(manifest.source.fit ? { fit: manifest.source.fit } : {}),
  };
}
