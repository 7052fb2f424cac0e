// The activation WGSL kernels (activation.wgsl, activation_backward.wgsl) against their float64
// CPU twins, special values included: NaN must propagate, −0 and ±inf must behave as in PyTorch.

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

/** Elementwise agreement within rel·|want| (f32 rounding of a product); NaN only where NaN is expected. */
function expectClose(got: Float64Array, want: Float64Array, rel = 0): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) expect(Number.isNaN(got[i]), `index ${i}: want NaN, got ${got[i]}`).toBe(true);
    else if (!Number.isFinite(want[i]!)) expect(got[i], `index ${i}`).toBe(want[i]);
    else expect(Math.abs(got[i]! - want[i]!), `index ${i}: got ${got[i]}, want ${want[i]}`).toBeLessThanOrEqual(rel * Math.abs(want[i]!));
  }
}

// 1000 random values (more than 3 workgroups, not a multiple of 256) then the special values.
// Rounded to f32 so both sides see the same inputs.
const SPECIAL = [0, -0, Number.NaN, Infinity, -Infinity, Math.fround(1e-30), Math.fround(-1e-30)];
const n = 1000 + SPECIAL.length;
const x = Float64Array.of(...randomArray(1000, 41, 3), ...SPECIAL);
const dY = Float64Array.of(...randomArray(n - 1, 42), Number.NaN);

describe('relu kernels', () => {
  it.skipIf(noGpu)('forward is exact', async () => {
    requireGpu(ctx);
    const want = cpu.alloc(n);
    cpu.relu(n, x, want);
    const gy = gpu.alloc(n, 'y');
    gpu.relu(n, gpu.upload(x, 'x'), gy);
    const got = await gpu.read(gy);
    expectClose(got, want);
    expect(Object.is(got[1001], -0)).toBe(true);
  });

  it.skipIf(noGpu)('backward (from the output) is exact', async () => {
    requireGpu(ctx);
    const y = cpu.alloc(n);
    cpu.relu(n, x, y);
    const want = cpu.alloc(n);
    cpu.reluBackward(n, y, dY, want);
    const gdX = gpu.alloc(n, 'dX');
    gpu.reluBackward(n, gpu.upload(y, 'y'), gpu.upload(dY, 'dY'), gdX);
    expectClose(await gpu.read(gdX), want);
  });
});

describe('leaky relu kernels', () => {
  for (const slope of [0.01, 0.2]) {
    it.skipIf(noGpu)(`forward and backward, slope ${slope}`, async () => {
      requireGpu(ctx);
      const y = cpu.alloc(n);
      cpu.leakyRelu(n, slope, x, y);
      const dX = cpu.alloc(n);
      cpu.leakyReluBackward(n, slope, x, dY, dX);
      const gx = gpu.upload(x, 'x');
      const [gy, gdX] = [gpu.alloc(n, 'y'), gpu.alloc(n, 'dX')];
      gpu.leakyRelu(n, slope, gx, gy);
      gpu.leakyReluBackward(n, slope, gx, gpu.upload(dY, 'dY'), gdX);
      // slope is an f32 on the GPU, and the product is rounded to f32: two roundings.
      expectClose(await gpu.read(gy), y, 2 ** -22);
      expectClose(await gpu.read(gdX), dX, 2 ** -22);
    });
  }
});
