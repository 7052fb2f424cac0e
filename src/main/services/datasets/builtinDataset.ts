// The dataset shipped inside the app: data/fashion-mnist-mini, the first 10,000 training and first
// 2,000 test images of Fashion-MNIST as gzipped IDX files (made by scripts/make_builtin_dataset.mjs).
// Its test images serve as the validation split. Decoding takes a moment, so the result is cached
// per process and data folder.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_FASHION_MNIST_MINI, type LoadedDataset } from '../../../shared/datasetFormat';
import { channelStats } from './channelStats';
import { readIdxFile } from './readIdxFile';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export const BUILTIN_FOLDER = 'fashion-mnist-mini';
export const BUILTIN_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

export interface DataRootOptions {
  /** The folder holding fashion-mnist-mini/ (the repository's data/ folder). */
  dataRoot?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the upward search for package.json starts; defaults to this module's location. */
  startDir?: string;
}

/** Finds the data/ folder: opts.dataRoot, then CONVLAB_DATA_ROOT (a packaged app sets it to its
 *  resources folder), then data/ next to the nearest package.json above this module, which covers
 *  running from source, from tests and from the electron-vite output folder. */
export function resolveDataRoot(opts: DataRootOptions = {}): string {
  if (opts.dataRoot !== undefined && opts.dataRoot !== '') return resolve(opts.dataRoot);
  const fromEnv = (opts.env ?? process.env).CONVLAB_DATA_ROOT;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  const start = opts.startDir ?? dirname(fileURLToPath(import.meta.url));
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'data');
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(
    `Cannot find Conv Lab's data folder: no package.json above ${start}. ` +
      `Set CONVLAB_DATA_ROOT to the folder that holds ${BUILTIN_FOLDER}/`,
  );
}

const cache = new Map<string, Promise<LoadedDataset>>();

export function loadBuiltinFashionMnistMini(opts: DataRootOptions = {}): Promise<LoadedDataset> {
  const root = resolveDataRoot(opts);
  let pending = cache.get(root);
  if (pending === undefined) {
    pending = decodeBuiltin(root);
    cache.set(root, pending);
    // A failed load (e.g. files missing) must not poison later attempts after the user fixes it.
    pending.catch(() => cache.delete(root));
  }
  return pending;
}

/** What a dataset list shows for the builtin (it has no manifest on disk). Loads it (cached). */
export interface BuiltinDatasetInfo {
  ref: string;
  name: string;
  source: { kind: 'builtin'; path: string };
  classes: string[];
  channels: number;
  height: number;
  width: number;
  count: number;
  classCounts: number[];
  split: { train: number; val: number };
  mean: number[];
  std: number[];
}

export async function describeBuiltin(opts: DataRootOptions = {}): Promise<BuiltinDatasetInfo> {
  const d = await loadBuiltinFashionMnistMini(opts);
  const classCounts = new Array<number>(d.classes.length).fill(0);
  for (const l of d.labels) classCounts[l]++;
  return {
    ref: d.id,
    name: d.name,
    source: { kind: 'builtin', path: join(resolveDataRoot(opts), BUILTIN_FOLDER) },
    classes: d.classes,
    channels: d.channels,
    height: d.height,
    width: d.width,
    count: d.labels.length,
    classCounts,
    split: { train: d.trainIndices.length, val: d.valIndices.length },
    mean: d.mean,
    std: d.std,
  };
}

async function decodeBuiltin(root: string): Promise<LoadedDataset> {
  const folder = join(root, BUILTIN_FOLDER);
  const read = async (images: string, labels: string): Promise<{ images: Uint8Array; labels: Uint8Array }> => {
    const imgPath = join(folder, images);
    const lblPath = join(folder, labels);
    const img = await readIdxFile(imgPath).catch(missing(folder));
    const lbl = await readIdxFile(lblPath).catch(missing(folder));
    if (img.dims.length !== 3 || img.dims[1] !== 28 || img.dims[2] !== 28) {
      throw new Error(`${imgPath} should hold N × 28 × 28 images, it holds ${img.dims.join(' × ')}`);
    }
    if (lbl.dims.length !== 1 || lbl.dims[0] !== img.dims[0]) {
      throw new Error(`${lblPath} should hold ${img.dims[0]} labels, it holds ${lbl.dims.join(' × ')}`);
    }
    for (const l of lbl.data) if (l > 9) throw new Error(`${lblPath} holds label ${l}; Fashion-MNIST labels are 0-9`);
    return { images: img.data, labels: lbl.data };
  };
  const train = await read(BUILTIN_FILES.trainImages, BUILTIN_FILES.trainLabels);
  const test = await read(BUILTIN_FILES.testImages, BUILTIN_FILES.testLabels);
  const nTrain = train.labels.length;
  const nTest = test.labels.length;

  const images = new Uint8Array(train.images.length + test.images.length);
  images.set(train.images, 0);
  images.set(test.images, train.images.length);
  const labels = new Uint8Array(nTrain + nTest);
  labels.set(train.labels, 0);
  labels.set(test.labels, nTrain);
  const shape = { channels: 1, height: 28, width: 28 };
  const { mean, std } = channelStats(train.images, shape);
  return {
    id: BUILTIN_FASHION_MNIST_MINI,
    name: 'Fashion-MNIST mini',
    classes: [...FASHION_MNIST_CLASSES],
    ...shape,
    images,
    labels,
    trainIndices: Uint32Array.from({ length: nTrain }, (_, i) => i),
    valIndices: Uint32Array.from({ length: nTest }, (_, i) => nTrain + i),
    mean,
    std,
  };
}

function missing(folder: string): (err: Error) => never {
  return (err) => {
    throw new Error(
      `The built-in dataset is missing or unreadable in ${folder} (${err.message}). ` +
        `Run \`node scripts/make_builtin_dataset.mjs\` from a source checkout, or set CONVLAB_DATA_ROOT`,
    );
  };
}
