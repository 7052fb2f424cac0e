// The stored datasets under <home>/datasets: list, read, rename, delete, and sample images for
// thumbnails. Every id goes through datasetDir (strict pattern), so nothing here can address a path
// outside the datasets folder. Loading whole datasets for training is in loadDataset.ts.
import { open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  BUILTIN_FASHION_MNIST_MINI,
  DATASET_FILES,
  DatasetNameSchema,
  imageBytes,
  isDatasetId,
  parseDatasetManifest,
  type DatasetManifest,
} from '../../../shared/datasetFormat';
import { writeFileAtomic } from '../atomicFile';
import { loadBuiltinFashionMnistMini } from './builtinDataset';
import { datasetDir, datasetsRoot, unknownDatasetError } from './datasetPaths';

export interface DatasetScan {
  /** Valid datasets, newest first. */
  datasets: DatasetManifest[];
  /** Folders that look like datasets but whose manifest cannot be read; left untouched on disk. */
  problems: Array<{ id: string; reason: string }>;
}

/** Reads every dataset folder. Temporary folders (.tmp-…) and anything not named like an id are
 *  ignored; a damaged manifest is reported, never deleted. */
export async function scanDatasets(home: string): Promise<DatasetScan> {
  let names: string[];
  try {
    names = await readdir(datasetsRoot(home));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { datasets: [], problems: [] };
    throw err;
  }
  const datasets: DatasetManifest[] = [];
  const problems: DatasetScan['problems'] = [];
  for (const name of names) {
    if (!isDatasetId(name)) continue;
    try {
      datasets.push(await readManifest(home, name));
    } catch (err) {
      problems.push({ id: name, reason: (err as Error).message });
    }
  }
  datasets.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
  return { datasets, problems };
}

export async function listDatasets(home: string): Promise<DatasetManifest[]> {
  return (await scanDatasets(home)).datasets;
}

export async function getDataset(home: string, id: string): Promise<DatasetManifest> {
  return readManifest(home, id);
}

export async function renameDataset(home: string, id: string, name: string): Promise<DatasetManifest> {
  const parsed = DatasetNameSchema.safeParse(name);
  if (!parsed.success) {
    throw new Error(`Cannot rename dataset ${id}: ${parsed.error.issues[0]?.message ?? 'invalid name'}; choose a short one-line name`);
  }
  const manifest = await readManifest(home, id);
  const updated: DatasetManifest = { ...manifest, name: parsed.data };
  await writeFileAtomic(join(datasetDir(home, id), DATASET_FILES.manifest), JSON.stringify(updated, null, 2) + '\n');
  return updated;
}

/** Deletes a dataset. The folder is first renamed to a hidden name (one atomic step, so listings never
 *  see half of it) and then removed. */
export async function deleteDataset(home: string, id: string): Promise<void> {
  const dir = datasetDir(home, id);
  if (!(await isDirectory(dir))) throw unknownDatasetError(id);
  const doomed = join(datasetsRoot(home), `.deleting-${id}-${randomBytes(3).toString('hex')}`);
  await rename(dir, doomed);
  await rm(doomed, { recursive: true, force: true });
}

export interface DatasetSamples {
  id: string;
  classes: string[];
  channels: number;
  height: number;
  width: number;
  /** Up to `perClass` images of each class, in class order then file order. */
  samples: Array<{ index: number; label: number; image: Uint8Array }>;
}

/** Raw uint8 images for thumbnails: the first `perClass` images of every class. Only the chosen images
 *  are read from images.bin, so this stays cheap on large datasets. `id` may also be the builtin
 *  reference, whose images come from the (cached) decoded set. */
export async function datasetSamples(
  home: string,
  id: string,
  perClass: number,
  opts: { dataRoot?: string } = {},
): Promise<DatasetSamples> {
  if (!Number.isInteger(perClass) || perClass < 1 || perClass > 256) {
    throw new Error(`perClass must be a whole number from 1 to 256, got ${String(perClass)}`);
  }
  if (id === BUILTIN_FASHION_MNIST_MINI) return builtinSamples(perClass, opts);
  const manifest = await readManifest(home, id);
  const dir = datasetDir(home, id);
  const labels = await readFile(join(dir, DATASET_FILES.labels));
  if (labels.length !== manifest.count) throw damaged(id, DATASET_FILES.labels, manifest.count, labels.length);
  const chosen = firstPerClass(labels, manifest.classes.length, perClass);
  const size = imageBytes(manifest);
  const fh = await open(join(dir, DATASET_FILES.images), 'r');
  try {
    const samples: DatasetSamples['samples'] = [];
    for (const { index, label } of chosen) {
      const image = new Uint8Array(size);
      const { bytesRead } = await fh.read(image, 0, size, index * size);
      if (bytesRead !== size) throw damaged(id, DATASET_FILES.images, manifest.count * size, `fewer (image ${index} is cut short)`);
      samples.push({ index, label, image });
    }
    const { channels, height, width, classes } = manifest;
    return { id, classes, channels, height, width, samples };
  } finally {
    await fh.close();
  }
}

async function builtinSamples(perClass: number, opts: { dataRoot?: string }): Promise<DatasetSamples> {
  const d = await loadBuiltinFashionMnistMini(opts);
  const size = d.channels * d.height * d.width;
  const samples = firstPerClass(d.labels, d.classes.length, perClass).map(({ index, label }) => ({
    index,
    label,
    image: d.images.slice(index * size, (index + 1) * size),
  }));
  return { id: d.id, classes: d.classes, channels: d.channels, height: d.height, width: d.width, samples };
}

/** The first `perClass` indices of each class, ordered by class then index. */
function firstPerClass(labels: Uint8Array, classCount: number, perClass: number): Array<{ index: number; label: number }> {
  const taken = new Array<number>(classCount).fill(0);
  const chosen: Array<{ index: number; label: number }> = [];
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l < classCount && taken[l] < perClass) {
      taken[l]++;
      chosen.push({ index: i, label: l });
    }
  }
  return chosen.sort((a, b) => a.label - b.label || a.index - b.index);
}

/** Removes `.tmp-*` and `.deleting-*` folders left by a crash. Only folders untouched for `maxAgeMs`
 *  (default a day) go, so an import still running in another process is never disturbed. Returns
 *  the names removed. Meant to be called once at startup. */
export async function removeStaleTempFolders(home: string, maxAgeMs = 24 * 3600_000, now = Date.now()): Promise<string[]> {
  const root = datasetsRoot(home);
  const names = await readdir(root).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith('.tmp-') && !name.startsWith('.deleting-')) continue;
    const dir = join(root, name);
    // A running import keeps appending to images.bin, so its mtime counts as activity too.
    const times = await Promise.all([stat(dir), stat(join(dir, DATASET_FILES.images))].map((p) => p.then((s) => s.mtimeMs, () => 0)));
    if (now - Math.max(...times) < maxAgeMs) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Reads and validates a stored manifest; unknown or malformed ids get the "unknown dataset" message. */
export async function readManifest(home: string, id: string): Promise<DatasetManifest> {
  const dir = datasetDir(home, id);
  const path = join(dir, DATASET_FILES.manifest);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw unknownDatasetError(id);
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`Dataset manifest ${path} is not valid JSON (${(err as Error).message}); re-import the dataset or delete the folder`);
  }
  const manifest = parseDatasetManifest(json, path);
  if (manifest.id !== id) {
    throw new Error(`Dataset manifest ${path} says its id is ${manifest.id}, but it sits in folder ${id}; rename the folder back or re-import`);
  }
  return manifest;
}

export function damaged(id: string, file: string, expected: number, actual: number | string): Error {
  return new Error(
    `Dataset ${id} is damaged: ${file} should hold ${expected} bytes but holds ${actual}; delete it and import the source again`,
  );
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
