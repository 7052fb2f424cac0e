// Batch assembly in float64: the CPU twin of kernels/gather_batch.wgsl. On the CPU a byte or u32
// tensor is simply a Float64Array of the values (the GPU packs bytes 4 per u32).
//
// images: the dataset's images.bin, (count, C, H, W) uint8; labels: labels.bin, one byte each.

import type { GatherBatchOptions } from '../backend';

export function checkGatherOptions(o: GatherBatchOptions): void {
  if (o.mean.length !== o.channels || o.std.length !== o.channels) {
    throw new Error(`gatherBatch: mean and std need one value per channel (${o.channels}), got ${o.mean.length} and ${o.std.length}`);
  }
  if (o.std.some((s) => !(s > 0))) throw new Error(`gatherBatch: every std must be positive, got [${o.std.join(', ')}]`);
}

export function sampleIndex(indices: Float64Array, i: number, available: number): number {
  const s = indices[i]!;
  if (!Number.isInteger(s) || s < 0 || s >= available) {
    throw new Error(`gather: sample index ${s} at position ${i} is outside the dataset's ${available} samples`);
  }
  return s;
}

export function gatherBatchCpu(o: GatherBatchOptions, images: Float64Array, indices: Float64Array, out: Float64Array): void {
  checkGatherOptions(o);
  const pixels = o.height * o.width;
  const sampleBytes = o.channels * pixels;
  const available = Math.floor(images.length / sampleBytes);
  for (let i = 0; i < o.count; i++) {
    const src = sampleIndex(indices, i, available) * sampleBytes;
    for (let c = 0; c < o.channels; c++) {
      for (let p = 0; p < pixels; p++) {
        const r = c * pixels + p;
        out[i * sampleBytes + r] = (images[src + r]! / 255 - o.mean[c]!) / o.std[c]!;
      }
    }
  }
}

export function gatherLabelsCpu(count: number, labels: Float64Array, indices: Float64Array, out: Float64Array): void {
  for (let i = 0; i < count; i++) out[i] = labels[sampleIndex(indices, i, labels.length)]!;
}
