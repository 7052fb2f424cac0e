// The labelled images an evaluation runs on, at the model's input size, with labels in the run's
// class order: by default the run's own validation split; else any stored dataset (all of it), an
// image folder with one subfolder per class, MNIST IDX files or CIFAR-10 batches given by path.
// Classes are matched by name; IDX files name none, so their label i is the model's class i
// (said so in `note`).

import type { SkippedFile } from '../../shared/datasetFormat';
import { CIFAR10_CLASSES, parseCifar10Batch } from '../../shared/formats/cifar';
import { parseIdx } from '../../shared/formats/idx';
import type { Preprocessing } from '../../shared/runRecord';
import { matchClasses } from '../../engine/eval/classMatch';
import { loadDataset } from './datasets/loadDataset';
import { fitImage } from './datasets/fitImage';
import { readMaybeGzip } from './datasets/readMaybeGzip';
import { scanImageFolder } from './datasets/imageFolderScan';
import { classifyImportPaths } from './importSources';
import { prepareImageFiles } from './images/prepareImages';

export interface EvalData {
  id: string;
  name: string;
  split: 'validation' | 'all';
  /** uint8 NCHW at the model's input size. */
  images: Uint8Array;
  /** Each image's class index in the run's classes. */
  labels: Uint8Array;
  /** The images to evaluate. */
  indices: Uint32Array;
  /** Files of a folder that could not be read. */
  skipped: SkippedFile[];
  note?: string;
}

interface RawSet {
  id: string;
  name: string;
  split: 'validation' | 'all';
  classes: string[];
  channels: number;
  height: number;
  width: number;
  images: Uint8Array;
  labels: Uint8Array;
  indices: Uint32Array;
  skipped: SkippedFile[];
  /** IDX files carry no class names: match by index. */
  unnamed?: boolean;
}

export async function loadEvalData(home: string, run: { datasetId: string; preprocessing: Preprocessing }, ref?: string, opts: { dataRoot?: string; workers?: number } = {}): Promise<EvalData> {
  const raw = ref === undefined ? await runValidation(home, run.datasetId, opts) : isDatasetRef(ref) ? await storedSet(home, ref, opts) : await filesSet(ref, run.preprocessing, opts);
  if (raw.indices.length === 0) throw new Error(`${raw.name} has no images to evaluate`);
  const p = run.preprocessing;
  let labels: Uint8Array;
  let note: string | undefined;
  if (raw.unnamed) {
    if (raw.classes.length > p.classes.length || [...raw.labels].some((l) => l >= p.classes.length)) {
      throw new Error(`${raw.name} has labels up to ${Math.max(...raw.labels)} but the model has ${p.classes.length} classes`);
    }
    labels = raw.labels;
    note = `IDX files name no classes: label i is taken as the model's class i (${p.classes.slice(0, 3).map((c, i) => `${i} = ${c}`).join(', ')}, …)`;
  } else {
    const map = matchClasses(p.classes, raw.classes, raw.name);
    labels = Uint8Array.from(raw.labels, (l) => map[l]!);
  }
  return { id: raw.id, name: raw.name, split: raw.split, images: fitted(raw, p), labels, indices: raw.indices, skipped: raw.skipped, ...(note ? { note } : {}) };
}

function isDatasetRef(ref: string): boolean {
  return ref.startsWith('builtin:') || /^ds-\d{8}-\d{6}-[0-9a-f]{4}$/.test(ref);
}

async function runValidation(home: string, id: string, opts: { dataRoot?: string }): Promise<RawSet> {
  let d;
  try {
    d = await loadDataset(home, id, opts);
  } catch (e) {
    throw new Error(`the run's dataset ${id} cannot be read (${(e as Error).message}); evaluate on another set with --data`, { cause: e });
  }
  if (d.valIndices.length === 0) throw new Error(`the run's dataset "${d.name}" has no validation split; evaluate on another set with --data`);
  return { ...d, split: 'validation', indices: d.valIndices, skipped: [] };
}

async function storedSet(home: string, id: string, opts: { dataRoot?: string }): Promise<RawSet> {
  const d = await loadDataset(home, id, opts);
  return { ...d, split: 'all', indices: Uint32Array.from({ length: d.labels.length }, (_, i) => i), skipped: [] };
}

async function filesSet(path: string, p: Preprocessing, opts: { workers?: number }): Promise<RawSet> {
  const source = await classifyImportPaths([path]);
  const all = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
  if (source.kind === 'folder') {
    const scan = await scanImageFolder(source.path);
    const prepared = await prepareImageFiles(scan.files.map((f) => f.path), p, opts);
    const classOf = new Map(scan.files.map((f) => [f.path, f.classIndex]));
    const labels = Uint8Array.from(prepared.files, (f) => classOf.get(f)!);
    const [channels, height, width] = p.input;
    const skipped = [...scan.skipped, ...prepared.skipped.map((s) => ({ ...s, file: scan.files.find((f) => f.path === s.file)?.rel ?? s.file }))];
    if (prepared.files.length === 0) throw new Error(`${source.path} holds no readable images in class subfolders${skipped.length ? ` (${skipped.length} skipped, e.g. ${skipped[0]!.file}: ${skipped[0]!.reason})` : ''}`);
    return { id: source.path, name: `folder ${source.path}`, split: 'all', classes: scan.classes, channels, height, width, images: prepared.pixels, labels, indices: all(labels.length), skipped };
  }
  if (source.kind === 'idx') {
    const pairs = [{ images: source.images, labels: source.labels }, ...(source.more ?? [])];
    const images: Uint8Array[] = [];
    const labels: Uint8Array[] = [];
    let height = 0;
    let width = 0;
    for (const pair of pairs) {
      const img = parseIdx(await readMaybeGzip(pair.images));
      const lbl = parseIdx(await readMaybeGzip(pair.labels));
      if (img.dims.length !== 3 || lbl.dims.length !== 1 || img.dims[0] !== lbl.dims[0]) {
        throw new Error(`${pair.images} and ${pair.labels} are not an IDX images file (n × h × w) and its labels (n)`);
      }
      [height, width] = [img.dims[1]!, img.dims[2]!];
      images.push(img.data);
      labels.push(lbl.data);
    }
    const imageBytes = concat(images);
    const labelBytes = concat(labels);
    const classes = Array.from({ length: Math.max(...labelBytes) + 1 }, (_, i) => String(i));
    return { id: source.images, name: `IDX ${source.images}`, split: 'all', classes, channels: 1, height, width, images: imageBytes, labels: labelBytes, indices: all(labelBytes.length), skipped: [], unnamed: true };
  }
  const batches = [];
  for (const file of source.files) batches.push(parseCifar10Batch(await readMaybeGzip(file)));
  const images = concat(batches.map((b) => b.images));
  const labels = concat(batches.map((b) => b.labels));
  return { id: source.files.join(','), name: `CIFAR-10 ${source.files.join(', ')}`, split: 'all', classes: [...CIFAR10_CLASSES], channels: 3, height: 32, width: 32, images, labels, indices: all(labels.length), skipped: [] };
}

/** The images at the model's input size: as they are when they match, else fitted one by one. */
function fitted(raw: RawSet, p: Preprocessing): Uint8Array {
  const [channels, height, width] = p.input;
  if (raw.channels === channels && raw.height === height && raw.width === width) return raw.images;
  if (raw.channels !== channels) {
    throw new Error(`${raw.name} has ${raw.channels === 1 ? 'grey' : 'colour'} images but the model takes ${channels === 1 ? 'grey' : 'colour'} ones`);
  }
  const inSize = raw.channels * raw.height * raw.width;
  const outSize = channels * height * width;
  const n = raw.labels.length;
  const out = new Uint8Array(n * outSize);
  for (let i = 0; i < n; i++) {
    const image = { channels: raw.channels as 1 | 3, height: raw.height, width: raw.width, data: raw.images.subarray(i * inSize, (i + 1) * inSize) };
    out.set(fitImage(image, height, width, p.fit), i * outSize);
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
