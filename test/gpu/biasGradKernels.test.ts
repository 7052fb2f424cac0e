// bias_grad.wgsl (segment sums in f32 or vec4 loads, then a per-channel sum) against its
// float64 CPU twin, over shapes that reach every branch of biasGradPlan.

import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { biasGradPlan } from '../../src/engine/webgpu/ops/convPrimitives';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { maxAbsDiff, randomArray } from '../helpers/random';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

const cpu = new CpuBackend();
let ctx: GpuContext | null = null;
let gpu: WebGpuBackend;

beforeAll(async () => {
  ctx = await gpuContext();
  if (ctx) gpu = new WebGpuBackend(ctx);
});

describe('bias-grad kernel', () => {
  it('plans whole images per lane at 64 images, segments below, vec4 loads when L % 4 = 0', () => {
    const pick = (n: number, l: number) => {
      const { vec4, units, segBits, segLen, groupsY } = biasGradPlan(n, l);
      return [vec4, units, segBits, segLen, groupsY];
    };
    expect(pick(64, 784)).toEqual([true, 196, 0, 196, 1]); // the reference model's first conv
    expect(pick(64, 1)).toEqual([false, 1, 0, 1, 1]); // Linear
    expect(pick(70, 49)).toEqual([false, 49, 0, 49, 2]);
    expect(pick(3, 49)).toEqual([false, 49, 4, 4, 1]); // 16 segments of 4, the last one of 1
    expect(pick(1, 1000)).toEqual([true, 250, 6, 4, 1]);
    expect(pick(5, 2)).toEqual([false, 2, 1, 1, 1]); // no more segments than units
  });

  // [N, C, L]: whole images per lane with vec4 loads (the reference model's conv layers);
  // Linear (L = 1) over two workgroups in y; segments with a short last one, f32 and vec4;
  // 64 segments of one image; channels over one finish workgroup.
  it.skipIf(noGpu).each([[64, 8, 784], [64, 16, 196], [130, 10, 1], [3, 5, 49], [7, 3, 36], [1, 2, 1000], [2, 70, 9]])(
    'N=%i C=%i L=%i against the CPU twin, overwriting and accumulating', async (n, c, l) => {
      requireGpu(ctx);
      const dOut = randomArray(n * c * l, n * 1000 + c * 10 + l);
      const start = randomArray(c, 5);
      const set = Float64Array.from(start), added = Float64Array.from(start);
      cpu.biasGrad(n, c, l, dOut, set, false);
      cpu.biasGrad(n, c, l, dOut, added, true);

      const gdOut = gpu.upload(dOut, 'dOut');
      const gSet = gpu.upload(start, 'dBias'), gAdded = gpu.upload(start, 'dBias');
      gpu.biasGrad(n, c, l, gdOut, gSet, false);
      gpu.biasGrad(n, c, l, gdOut, gAdded, true);
      // f32 sums of n·l values in [−1, 1] against f64.
      const tol = 2e-6 * Math.sqrt(n * l) * 8;
      expect(maxAbsDiff(await gpu.read(gSet), set)).toBeLessThan(tol);
      expect(maxAbsDiff(await gpu.read(gAdded), added)).toBeLessThan(tol);
    },
  );

  it.skipIf(noGpu)('is bit-identical on repeat (fixed order, no atomics)', async () => {
    requireGpu(ctx);
    const [n, c, l] = [64, 8, 784];
    const gdOut = gpu.upload(randomArray(n * c * l, 3), 'dOut');
    const a = gpu.alloc(c, 'dBias'), b = gpu.alloc(c, 'dBias');
    gpu.biasGrad(n, c, l, gdOut, a, false);
    gpu.biasGrad(n, c, l, gdOut, b, false);
    expect(Array.from(await gpu.read(b))).toEqual(Array.from(await gpu.read(a)));
  });

  it.skipIf(noGpu)('an empty batch writes zeros, or leaves dBias as it was when accumulating', async () => {
    requireGpu(ctx);
    const set = gpu.upload([1, 2, 3], 'dBias'), added = gpu.upload([1, 2, 3], 'dBias');
    const none = gpu.alloc(0, 'dOut');
    gpu.biasGrad(0, 3, 16, none, set, false);
    gpu.biasGrad(0, 3, 16, none, added, true);
    expect(Array.from(await gpu.read(set))).toEqual([0, 0, 0]);
    expect(Array.from(await gpu.read(added))).toEqual([1, 2, 3]);
  });
});
