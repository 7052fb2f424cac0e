// The Train settings' augmentation preview: a few images of the selected dataset as training will
// see them, made by the same code as a training step (augmentTable's draws for (seed, step), then
// the CPU twin of the augmentation kernel), so what the grid shows is what the GPU will do.
// Variant v of round r is training step r·variants + v; image i sits in batch slot i.

import { CpuBackend } from '../../../../engine/cpu/cpuBackend';
import type { AugmentSpec } from '../../../../engine/train/augment';
import { augmentTable } from '../../../../engine/train/augmentDraw';
import type { DatasetSamplesResult } from '../../../../shared/labApi';

export interface PreviewRow {
  className: string;
  original: Uint8Array;
  /** Each a planar uint8 CHW image of the dataset's size. */
  variants: Uint8Array[];
}

const cpu = new CpuBackend();

export function augmentedSamples(s: DatasetSamplesResult, spec: AugmentSpec, seed: number, images: number, variants: number, round = 0): PreviewRow[] {
  const count = Math.min(images, s.labels.length);
  const size = s.channels * s.height * s.width;
  const rows: PreviewRow[] = Array.from({ length: count }, (_, i) => ({
    className: s.classes[s.labels[i]!] ?? String(s.labels[i]),
    original: s.images.subarray(i * size, (i + 1) * size),
    variants: [],
  }));
  if (count === 0) return rows;
  const source = cpu.uploadBytes(s.images.subarray(0, count * size));
  const indices = cpu.uploadU32(Uint32Array.from({ length: count }, (_, i) => i));
  // mean 0, std 1: the twin's output is then the augmented [0, 1] pixels themselves.
  const opts = { count, channels: s.channels, height: s.height, width: s.width, mean: Array(s.channels).fill(0), std: Array(s.channels).fill(1) };
  const out = cpu.alloc(count * size);
  for (let v = 0; v < variants; v++) {
    const table = augmentTable(spec, seed, round * variants + v, count, s.height, s.width);
    cpu.gatherBatchAugmented(opts, source, indices, table, out);
    rows.forEach((row, i) => row.variants.push(Uint8Array.from(out.subarray(i * size, (i + 1) * size), (x) => Math.round(x * 255))));
  }
  return rows;
}
