// Import of MNIST-style IDX pairs (an images file and a labels file, .gz or plain). Every file is
// fully checked before the first image is written: shapes, matching counts, label range. Images are
// N × H × W (grayscale) or N × C × H × W with C = 1 or 3. Several pairs (MNIST's train and t10k)
// become one dataset, as CIFAR-10's batches do: our seeded stratified split decides validation.
import { basename, resolve } from 'node:path';
import type { IdxArray } from '../../../shared/formats/idx';
import { DatasetWriter } from './datasetWriter';
import { checkCommonOptions, fillAndCommit, progressReporter, type CommonImportOptions, type ImportResult } from './importCommon';
import { readIdxFile } from './readIdxFile';

export interface IdxPair {
  images: string;
  labels: string;
}

export interface ImportIdxOptions extends CommonImportOptions, IdxPair {
  /** More pairs of the same image shape, appended after the first (e.g. t10k after train). */
  more?: IdxPair[];
  /** Class names by label; '0'..'9' (or up to the largest label) when omitted. */
  classes?: string[];
}

interface CheckedPair {
  images: IdxArray;
  labels: IdxArray;
  shape: [number, number, number];
  count: number;
}

async function readPair(pair: IdxPair): Promise<CheckedPair> {
  const imagesPath = resolve(pair.images);
  const labelsPath = resolve(pair.labels);
  const images = await readIdxFile(imagesPath);
  const labels = await readIdxFile(labelsPath);
  let shape: [number, number, number];
  if (images.dims.length === 3) {
    shape = [1, images.dims[1], images.dims[2]];
  } else if (images.dims.length === 4 && (images.dims[1] === 1 || images.dims[1] === 3)) {
    shape = [images.dims[1], images.dims[2], images.dims[3]];
  } else {
    throw new Error(
      `${imagesPath} holds an array of shape ${images.dims.join(' × ')}; an images file must be N × H × W ` +
        `(magic 0x00000803) or N × C × H × W with 1 or 3 channels. Did you swap the images and labels files?`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new Error(
      `${labelsPath} holds an array of shape ${labels.dims.join(' × ')}; a labels file must be one-dimensional (magic 0x00000801)`,
    );
  }
  const count = images.dims[0];
  if (labels.dims[0] !== count) {
    throw new Error(
      `${imagesPath} holds ${count} images but ${labelsPath} holds ${labels.dims[0]} labels; pass the matching pair ` +
        `(train images with train labels, t10k with t10k)`,
    );
  }
  if (count === 0) throw new Error(`${imagesPath} holds no images; nothing to import`);
  return { images, labels, shape, count };
}

export async function importIdx(home: string, opts: ImportIdxOptions): Promise<ImportResult> {
  checkCommonOptions(opts);
  const pairs = [{ images: opts.images, labels: opts.labels }, ...(opts.more ?? [])];
  const checked: CheckedPair[] = [];
  for (const pair of pairs) checked.push(await readPair(pair));
  const [channels, height, width] = checked[0]!.shape;
  checked.forEach((c, i) => {
    if (c.shape.join() !== checked[0]!.shape.join()) {
      throw new Error(`${resolve(pairs[i]!.images)} holds ${c.shape.join('×')} images but ${resolve(pairs[0]!.images)} holds ${checked[0]!.shape.join('×')}; one dataset needs one image size`);
    }
  });

  let maxLabel = 0;
  for (const c of checked) for (const l of c.labels.data) if (l > maxLabel) maxLabel = l;
  const classes = opts.classes ?? Array.from({ length: Math.max(10, maxLabel + 1) }, (_, i) => String(i));
  checked.forEach((c, i) => {
    const at = c.labels.data.findIndex((l) => l >= classes.length);
    if (at >= 0) {
      throw new Error(
        `${resolve(pairs[i]!.labels)}: label ${c.labels.data[at]} at index ${at} has no class name (${classes.length} classes given); ` +
          `pass one class name per label value`,
      );
    }
  });

  const imagesPath = resolve(opts.images);
  const writer = await DatasetWriter.create(home, {
    name: opts.name ?? basename(imagesPath).replace(/\.gz$/i, ''),
    source: { kind: 'idx', path: imagesPath },
    channels: channels as 1 | 3,
    height,
    width,
    classes,
  });
  const size = channels * height * width;
  const total = checked.reduce((n, c) => n + c.count, 0);
  const report = progressReporter(opts, total);
  return fillAndCommit(writer, opts, [], async () => {
    let done = 0;
    for (const c of checked) {
      for (let i = 0; i < c.count; i++) {
        await writer.append(c.images.data.subarray(i * size, (i + 1) * size), c.labels.data[i]);
        report(++done);
      }
    }
  });
}
