// The logits of many images in evaluation mode, batched on the device: each batch is gathered
// and normalised from the uint8 images on the device (the same gatherBatch that training uses, so
// a prediction sees exactly what training saw) and its logits are copied into one output buffer,
// read back once per chunk of batches (progress on long sets), never once per image.

import { Tape } from '../autograd/tape';
import { Tensor } from '../autograd/tensor';
import type { Backend } from '../backend';
import type { Sequential } from '../nn/sequential';

/** uint8 NCHW images already on the device (Backend.uploadBytes), with their normalisation. */
export interface DeviceImages<B> {
  images: B;
  channels: number;
  height: number;
  width: number;
  mean: number[];
  std: number[];
}

export interface LogitsOptions {
  /** Images per forward pass (default 256). */
  batchSize?: number;
  /** Batches between readbacks; each readback reports progress (default 16). */
  batchesPerRead?: number;
  onProgress?(done: number, total: number): void;
}

/** Row-major (indices.length × classes) logits of the images at `indices`. */
export async function computeLogits<B>(be: Backend<B>, model: Sequential<B>, source: DeviceImages<B>, indices: Uint32Array, classes: number, o: LogitsOptions = {}): Promise<Float32Array> {
  const n = indices.length;
  const out = new Float32Array(n * classes);
  const batchSize = Math.max(1, o.batchSize ?? 256);
  const perRead = Math.max(1, o.batchesPerRead ?? 16);
  const { channels, height, width, mean, std } = source;
  for (let chunkStart = 0; chunkStart < n; chunkStart += batchSize * perRead) {
    const chunkEnd = Math.min(n, chunkStart + batchSize * perRead);
    const chunk = be.alloc((chunkEnd - chunkStart) * classes, 'eval-logits');
    for (let start = chunkStart; start < chunkEnd; start += batchSize) {
      const count = Math.min(batchSize, chunkEnd - start);
      const tape = new Tape(be, false);
      be.setScope({ layer: 'data', phase: 'data' });
      const ids = be.uploadU32(indices.subarray(start, start + count), 'eval-indices');
      const x = tape.temp(count * channels * height * width, 'eval-images');
      be.gatherBatch({ count, channels, height, width, mean, std }, source.images, ids, x);
      const logits = model.forward(new Tensor(x, [count, channels, height, width], false), { be, tape, training: false, stepSeed: 0 });
      be.setScope(null);
      be.copy(logits.data, 0, chunk, (start - chunkStart) * classes, count * classes);
      be.release(ids);
      tape.reset();
    }
    out.set(Float32Array.from(await be.read(chunk)), chunkStart * classes);
    be.release(chunk);
    o.onProgress?.(chunkEnd, n);
  }
  return out;
}
