// The dropout WGSL kernels against the float64 CPU twin: the keep/drop pattern must be identical
// (the hash and the threshold test are integer arithmetic on both sides), values within f32 rounding.

import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { randomArray } from '../helpers/random';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

const cpu = new CpuBackend();
let ctx: GpuContext | null = null;
let gpu: WebGpuBackend;

beforeAll(async () => {
  ctx = await gpuContext();
  if (ctx) gpu = new WebGpuBackend(ctx);
});

const n = 20_011; // not a multiple of the workgroup size
const x = randomArray(n, 61);
const dY = randomArray(n, 62);

async function gpuDropout(p: number, seed: number) {
  const [gy, gmask, gdX] = [gpu.alloc(n, 'y'), gpu.alloc(n, 'mask'), gpu.alloc(n, 'dX')];
  gpu.dropout(n, p, seed, gpu.upload(x, 'x'), gy, gmask);
  gpu.dropoutBackward(n, gpu.upload(dY, 'dY'), gmask, gdX);
  return { y: await gpu.read(gy), mask: await gpu.read(gmask), dX: await gpu.read(gdX) };
}

function expectWithinF32(got: Float64Array, want: Float64Array): void {
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i]! - want[i]!) > 2 ** -22 * Math.abs(want[i]!)) {
      throw new Error(`index ${i}: GPU ${got[i]}, CPU ${want[i]}`);
    }
  }
}

describe('dropout kernels', () => {
  for (const [p, seed] of [[0, 1], [0.3, 2024], [0.5, 0xffffffff], [0.9, 7], [1, 3]] as const) {
    it.skipIf(noGpu)(`p = ${p}, seed ${seed}: the same mask as the CPU twin, y = x·mask, dX = dY·mask`, async () => {
      requireGpu(ctx);
      const [y, mask, dX] = [cpu.alloc(n), cpu.alloc(n), cpu.alloc(n)];
      cpu.dropout(n, p, seed, x, y, mask);
      cpu.dropoutBackward(n, dY, mask, dX);
      const got = await gpuDropout(p, seed);
      const keptCpu = mask.reduce((k, m) => k + (m !== 0 ? 1 : 0), 0);
      let sameKeep = 0;
      for (let i = 0; i < n; i++) if ((got.mask[i] !== 0) === (mask[i] !== 0)) sameKeep++;
      expect(sameKeep).toBe(n);
      expectWithinF32(got.mask, mask);
      expectWithinF32(got.y, y);
      expectWithinF32(got.dX, dX);
      if (p > 0 && p < 1) expect(Math.abs(keptCpu / n - (1 - p))).toBeLessThan(0.02);
    });
  }

  it.skipIf(noGpu)('is deterministic: the same seed gives the same bits twice', async () => {
    requireGpu(ctx);
    const a = await gpuDropout(0.4, 99);
    const b = await gpuDropout(0.4, 99);
    expect(Buffer.from(a.mask.buffer).equals(Buffer.from(b.mask.buffer))).toBe(true);
    const c = await gpuDropout(0.4, 100);
    expect(Buffer.from(a.mask.buffer).equals(Buffer.from(c.mask.buffer))).toBe(false);
  });
});
