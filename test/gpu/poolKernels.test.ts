// The pool WGSL kernels against their float64 CPU twins on several geometries: padding, ceil_mode
// (partial windows and a dropped window), dilation, non-square, stride != kernel, ties and NaN.

import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { type Pool2dGeometry, pool2dGeometry, poolInputElements, poolOutputElements } from '../../src/engine/pool/geometry';
import type { GpuContext } from '../../src/engine/webgpu/context';
import type { GpuTensor } from '../../src/engine/webgpu/gpuTensor';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { POOL_CONFIGS } from '../helpers/poolConfigs';
import { maxAbsDiff, randomArray } from '../helpers/random';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

const cpu = new CpuBackend();
let ctx: GpuContext | null = null;
let gpu: WebGpuBackend;

beforeAll(async () => {
  ctx = await gpuContext();
  if (ctx) gpu = new WebGpuBackend(ctx);
});

/** argmax holds u32 bits on the GPU: reinterpret them instead of converting f32 values. */
async function readIndices(t: GpuTensor): Promise<number[]> {
  const f = await ctx!.read(t);
  return Array.from(new Uint32Array(f.buffer, f.byteOffset, f.length));
}

async function checkMaxPool(g: Pool2dGeometry, x: Float64Array, dY: Float64Array): Promise<void> {
  const y = cpu.alloc(poolOutputElements(g));
  const argmax = cpu.alloc(poolOutputElements(g));
  cpu.maxPool2d(g, x, y, argmax);
  const dX = cpu.alloc(poolInputElements(g));
  cpu.maxPool2dBackward(g, dY, argmax, dX);

  const gy = gpu.alloc(poolOutputElements(g), 'y');
  const gArgmax = gpu.alloc(poolOutputElements(g), 'argmax');
  gpu.maxPool2d(g, gpu.upload(x, 'x'), gy, gArgmax);
  const gdX = gpu.alloc(poolInputElements(g), 'dX');
  gpu.maxPool2dBackward(g, gpu.upload(dY, 'dY'), gArgmax, gdX);

  expect(await readIndices(gArgmax)).toEqual(Array.from(argmax));
  // A max is a copy, so it is exact; NaN sits where the CPU puts it.
  expect(Array.from(await gpu.read(gy))).toEqual(Array.from(y));
  // The gather adds at most kh·kw f32 values, in a different order than the CPU scatter.
  expect(maxAbsDiff(await gpu.read(gdX), dX)).toBeLessThan(1e-6);
}

describe.each(POOL_CONFIGS)('pool kernels: $name', (cfg) => {
  const g = pool2dGeometry(cfg.input, cfg.options);
  const x = randomArray(poolInputElements(g), 51);
  const dY = randomArray(poolOutputElements(g), 52);

  it.skipIf(noGpu)('max pool forward (values and argmax) and backward', async () => {
    requireGpu(ctx);
    await checkMaxPool(g, x, dY);
  });

  it.skipIf(noGpu)('max pool with many ties keeps the first maximum, as the CPU twin', async () => {
    requireGpu(ctx);
    // Values from {−1, −0.5, 0, 0.5, 1}: most windows hold several equal maxima.
    await checkMaxPool(g, x.map((v) => Math.round(v * 2) / 2), dY);
  });

  if (!cfg.maxOnly) {
    for (const countIncludePad of [true, false]) {
      it.skipIf(noGpu)(`avg pool forward and backward (count_include_pad=${countIncludePad})`, async () => {
        requireGpu(ctx);
        const ga = pool2dGeometry(cfg.input, { ...cfg.options, countIncludePad });
        const y = cpu.alloc(poolOutputElements(ga));
        cpu.avgPool2d(ga, x, y);
        const dX = cpu.alloc(poolInputElements(ga));
        cpu.avgPool2dBackward(ga, dY, dX);
        const gy = gpu.alloc(poolOutputElements(ga), 'y');
        gpu.avgPool2d(ga, gpu.upload(x, 'x'), gy);
        const gdX = gpu.alloc(poolInputElements(ga), 'dX');
        gpu.avgPool2dBackward(ga, gpu.upload(dY, 'dY'), gdX);
        expect(maxAbsDiff(await gpu.read(gy), y)).toBeLessThan(1e-6);
        expect(maxAbsDiff(await gpu.read(gdX), dX)).toBeLessThan(1e-6);
      });
    }
  }
});

describe('max pool kernel special values', () => {
  it.skipIf(noGpu)('NaN propagates with the index of the last NaN; −inf windows point at their first cell', async () => {
    requireGpu(ctx);
    const g = pool2dGeometry([1, 2, 2, 4], { kernelSize: 2 });
    const x = Float64Array.of(
      1, Number.NaN, -Infinity, -Infinity,
      Number.NaN, 2, -Infinity, -Infinity,
      3, 4, Infinity, 0,
      5, 6, 7, Number.NaN,
    );
    await checkMaxPool(g, x, randomArray(poolOutputElements(g), 53));
  });

  it.skipIf(noGpu)('a dilated window that misses the input gives −inf, the sentinel index and no gradient', async () => {
    requireGpu(ctx);
    const g = pool2dGeometry([1, 1, 2, 2], { kernelSize: 2, stride: 1, padding: 1, dilation: 3 });
    await checkMaxPool(g, Float64Array.of(1, 2, 3, 4), Float64Array.of(7));
  });
});
