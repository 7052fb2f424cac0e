// gather_batch.wgsl (images and labels) against the float64 CPU twin, on a dataset uploaded once.

import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
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

describe('gather kernels', () => {
  // 3×5×7 = 105 bytes per sample: samples start at every byte offset within a u32 word.
  it.skipIf(noGpu).each([
    ['RGB 5×7', { channels: 3, height: 5, width: 7, mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] }],
    ['grey 4×4', { channels: 1, height: 4, width: 4, mean: [0.1307], std: [0.3081] }],
  ] as const)('%s batch and labels match the CPU twin', async (_name, shape) => {
    requireGpu(ctx);
    const samples = 13;
    const next = seeded(shape.channels * 100 + shape.height);
    const sampleBytes = shape.channels * shape.height * shape.width;
    const images = Uint8Array.from({ length: samples * sampleBytes }, () => Math.floor(next() * 256));
    const labels = Uint8Array.from({ length: samples }, () => Math.floor(next() * 10));
    images[0] = 255; // both ends of the byte range
    images[1] = 0;
    const indices = Uint32Array.of(12, 0, 5, 5, 1, 11, 3);
    const opts = { count: indices.length, ...shape, mean: [...shape.mean], std: [...shape.std] };

    const want = cpu.alloc(indices.length * sampleBytes), wantLabels = cpu.alloc(indices.length);
    const cIdx = cpu.uploadU32(indices);
    cpu.gatherBatch(opts, cpu.uploadBytes(images), cIdx, want);
    cpu.gatherLabels(indices.length, cpu.uploadBytes(labels), cIdx, wantLabels);

    const gIdx = gpu.uploadU32(indices, 'indices');
    const out = gpu.alloc(indices.length * sampleBytes, 'batch'), outLabels = gpu.alloc(indices.length, 'labels');
    gpu.gatherBatch(opts, gpu.uploadBytes(images, 'images'), gIdx, out);
    gpu.gatherLabels(indices.length, gpu.uploadBytes(labels, 'labels'), gIdx, outLabels);
    expect(maxAbsDiff(await gpu.read(out), want)).toBeLessThan(1e-5);
    expect(Array.from(await gpu.read(outLabels))).toEqual(Array.from(wantLabels));
  });

  it.skipIf(noGpu)('refuses more channels than the kernel has normalisation slots', () => {
    requireGpu(ctx);
    const opts = { count: 1, channels: 5, height: 1, width: 1, mean: [0, 0, 0, 0, 0], std: [1, 1, 1, 1, 1] };
    expect(() => gpu.gatherBatch(opts, gpu.uploadBytes(new Uint8Array(5), 'img'), gpu.uploadU32(Uint32Array.of(0), 'idx'), gpu.alloc(5, 'out'))).toThrow(/at most 4 channels/);
  });
});

describe('dataset upload', () => {
  it.skipIf(noGpu)('names a dataset larger than the GPU can bind', () => {
    requireGpu(ctx);
    const limit = ctx.device.limits.maxStorageBufferBindingSize;
    // A view claiming more bytes than the limit, without allocating them on the CPU twice.
    const tooBig = { length: limit + 4 } as unknown as Uint8Array;
    expect(() => gpu.uploadBytes(tooBig, 'images')).toThrow(/"images" is \d+ bytes but this GPU binds at most \d+ bytes/);
  });
});
