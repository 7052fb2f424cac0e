// augment_batch.wgsl against its float64 CPU twin: the PyTorch-checked fixture batches, and
// batches with drawn parameters (every augmentation on) at the sizes training uses, grey and RGB,
// square and not. The parameter table is the same upload on both sides, so the batches agree to
// float32 rounding: mostly of the bilinear source coordinate (bh/H)·(y + ½) − ½, whose error grows
// with y (≈ 3e-6 of a pixel at y = 95), times the contrast factor and 1/std — hence 1e-4, the
// tolerance of the PyTorch case files.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import type { AugmentSpec } from '../../src/engine/train/augment';
import { augmentTable } from '../../src/engine/train/augmentDraw';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { maxAbsDiff, seeded } from '../helpers/random';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

const cpu = new CpuBackend();
let ctx: GpuContext | null = null;
let gpu: WebGpuBackend;

beforeAll(async () => {
  ctx = await gpuContext();
  if (ctx) gpu = new WebGpuBackend(ctx);
});

interface Batch { name: string; channels: number; height: number; width: number; mean: number[]; std: number[]; images: number[]; indices: number[]; params: number[]; expected: number[] }
const fixture = JSON.parse(readFileSync(new URL('../fixtures/engine/augment.json', import.meta.url), 'utf8')) as { batches: Batch[] };

async function gpuBatch(b: Omit<Batch, 'name' | 'expected' | 'images'> & { images: Uint8Array }): Promise<Float64Array> {
  const opts = { count: b.indices.length, channels: b.channels, height: b.height, width: b.width, mean: b.mean, std: b.std };
  const out = gpu.alloc(b.indices.length * b.channels * b.height * b.width, 'augmented');
  gpu.gatherBatchAugmented(opts, gpu.uploadBytes(b.images, 'images'), gpu.uploadU32(Uint32Array.from(b.indices), 'indices'), gpu.upload(b.params, 'params'), out);
  return gpu.read(out);
}

describe('augment_batch kernel', () => {
  it.skipIf(noGpu).each(fixture.batches.map((b) => [b.name, b] as const))('%s matches PyTorch', async (_name, b) => {
    requireGpu(ctx);
    const got = await gpuBatch({ ...b, images: Uint8Array.from(b.images) });
    expect(maxAbsDiff(got, b.expected)).toBeLessThan(1e-4);
  });

  const everything: AugmentSpec = { crop: 4, flip: true, rrc: 0.3, jitter: 0.4 };
  it.skipIf(noGpu).each([
    ['RGB 32×32, every augmentation', 3, 32, 32, everything],
    ['grey 28×28, crop and flip', 1, 28, 28, { crop: 2, flip: true }],
    ['RGB 48×64, resized crop and jitter', 3, 48, 64, { rrc: 0.5, jitter: 0.2 }],
    ['RGB 96×96, every augmentation', 3, 96, 96, everything],
  ] as const)('%s matches the CPU twin', async (_name, channels, height, width, spec) => {
    requireGpu(ctx);
    const samples = 11;
    const next = seeded(channels * 1000 + height);
    const images = Uint8Array.from({ length: samples * channels * height * width }, () => Math.floor(next() * 256));
    const indices = [10, 0, 3, 3, 7, 1, 9, 2];
    const params = Array.from(augmentTable(spec, 5, 17, indices.length, height, width));
    const mean = [0.5, 0.45, 0.4].slice(0, channels);
    const std = [0.25, 0.26, 0.27].slice(0, channels);
    const want = cpu.alloc(indices.length * channels * height * width);
    cpu.gatherBatchAugmented({ count: indices.length, channels, height, width, mean, std }, cpu.uploadBytes(images), cpu.uploadU32(Uint32Array.from(indices)), cpu.upload(params), want);
    const got = await gpuBatch({ channels, height, width, mean, std, images, indices, params });
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
  });

  it.skipIf(noGpu)('names a parameter table that is too short', () => {
    requireGpu(ctx);
    const opts = { count: 2, channels: 1, height: 2, width: 2, mean: [0], std: [1] };
    expect(() => gpu.gatherBatchAugmented(opts, gpu.uploadBytes(new Uint8Array(8), 'img'), gpu.uploadU32(Uint32Array.of(0, 1), 'idx'), gpu.upload(new Float32Array(9), 'params'), gpu.alloc(8, 'out')))
      .toThrow(/holds 9 numbers, need 9 for each of 2 images/);
  });
});
