// sum_squares.wgsl, fill.wgsl and axpy.wgsl against their float64 CPU twins.

import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { sumSquaresGroups } from '../../src/engine/webgpu/ops/reduce';
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

describe('reduction and elementwise kernels', () => {
  // 1 element; under one workgroup; several; more than 256 groups·256 (grid-stride loop).
  it.skipIf(noGpu).each([1, 200, 5000, 70_000])('sumSquares of %i elements into its own slot, bit-identical on repeat', async (n) => {
    requireGpu(ctx);
    const x = randomArray(n, n);
    const want = cpu.zeros(4);
    cpu.sumSquares(n, x, want, 2);
    const gx = gpu.upload(x, 'x');
    const out = gpu.upload([7, 7, 7, 7], 'norms');
    gpu.sumSquares(n, gx, out, 2);
    const first = await gpu.read(out);
    expect(first[0]).toBe(7);
    expect(first[3]).toBe(7);
    expect(Math.abs(first[2]! - want[2]!)).toBeLessThan(1e-5 * want[2]!);
    gpu.sumSquares(n, gx, out, 2);
    expect((await gpu.read(out))[2]).toBe(first[2]);
  });

  it('sumSquares groups stay within the finish pass and depend only on n', () => {
    expect([1, 16_384, 16_385, 65_536, 10_000_000].map(sumSquaresGroups)).toEqual([1, 1, 2, 4, 256]);
  });

  it.skipIf(noGpu)('sumSquares names an outIndex outside the output', () => {
    requireGpu(ctx);
    expect(() => gpu.sumSquares(3, gpu.zeros(3, 'x'), gpu.zeros(2, 'norms'), 2)).toThrow(/outIndex 2 is outside the 2-element output "norms"/);
  });

  it.skipIf(noGpu)('fill and scaleAdd on the first n elements', async () => {
    requireGpu(ctx);
    const n = 600;
    const x = randomArray(n + 3, 81), y = randomArray(n + 3, 82);
    const cy = Float64Array.from(y), cx = Float64Array.from(x);
    cpu.scaleAdd(n, -0.75, x, cy);
    cpu.fill(n, 0.5, cx);
    const gx = gpu.upload(x, 'x'), gy = gpu.upload(y, 'y');
    gpu.scaleAdd(n, -0.75, gx, gy);
    gpu.fill(n, 0.5, gx);
    expect(maxAbsDiff(await gpu.read(gy), cy)).toBeLessThan(1e-6);
    expect(maxAbsDiff(await gpu.read(gx), cx)).toBe(0);
  });
});
