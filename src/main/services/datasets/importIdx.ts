// Import of MNIST-style IDX pairs (an images file and a labels file, .gz or plain). Both files are
// fully checked before the first image is written: shapes, matching counts, label range. Images are
// N × H × W (grayscale) or N × C × H × W with C = 1 or 3.
import { basename, resolve } from 'node:path';
import { DatasetWriter } from './datasetWriter';
import { checkCommonOptions, fillAndCommit, progressReporter, type CommonImportOptions, type ImportResult } from './importCommon';
import { readIdxFile } from './readIdxFile';

export interface ImportIdxOptions extends CommonImportOptions {
  images: string;
  labels: string;
  /** Class names by label; '0'..'9' (or up to the largest label) when omitted. */
  classes?: string[];
}

export async function importIdx(home: string, opts: ImportIdxOptions): Promise<ImportResult> {
  checkCommonOptions(opts);
  const imagesPath = resolve(opts.images);
  const labelsPath = resolve(opts.labels);
  const images = await readIdxFile(imagesPath);
  const labels = await readIdxFile(labelsPath);

  let channels: number;
  let height: number;
  let width: number;
  if (images.dims.length === 3) {
    [, height, width] = images.dims;
    channels = 1;
  } else if (images.dims.length === 4 && (images.dims[1] === 1 || images.dims[1] === 3)) {
    [, channels, height, width] = images.dims;
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

  let maxLabel = 0;
  for (const l of labels.data) if (l > maxLabel) maxLabel = l;
  const classes = opts.classes ?? Array.from({ length: Math.max(10, maxLabel + 1) }, (_, i) => String(i));
  if (maxLabel >= classes.length) {
    const at = labels.data.findIndex((l) => l >= classes.length);
    throw new Error(
      `${labelsPath}: label ${labels.data[at]} at index ${at} has no class name (${classes.length} classes given); ` +
        `pass one class name per label value`,
    );
  }

  const writer = await DatasetWriter.create(home, {
    name: opts.name ?? basename(imagesPath).replace(/\.gz$/i, ''),
    source: { kind: 'idx', path: imagesPath },
    channels: channels as 1 | 3,
    height,
    width,
    classes,
  });
  const size = channels * height * width;
  const report = progressReporter(opts, count);
  return fillAndCommit(writer, opts, [], async () => {
    for (let i = 0; i < count; i++) {
      await writer.append(images.data.subarray(i * size, (i + 1) * size), labels.data[i]);
      report(i + 1);
    }
  });
}
