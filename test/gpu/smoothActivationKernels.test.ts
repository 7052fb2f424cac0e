// The smooth activations of activation.wgsl / activation_backward.wgsl (sigmoid, tanh, gelu with
// the f32 erf of common/activation_math.wgsl, silu) against their float64 CPU twins, over the
// range where each is interesting and its tails, NaN included.

import { beforeAll, describe, expect, it } from 'vitest';
import { SMOOTH_ACTIVATIONS, savesOutput } from '../../src/engine/backend';
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

// 1000 values in [−8, 8] (several workgroups, not a multiple of 256), a dense sweep of the erf
// fit's seam at |x/√2| = 1, the tails, and NaN. All exact in f32 so both sides see one input.
const SEAM = Array.from({ length: 41 }, (_, i) => Math.fround(Math.SQRT2 * (0.98 + i * 0.001)));
const TAILS = [-88, -40, -20, -12, -9, -6, -4.5, -3, -1e-3, -1e-30, 0, -0, 1e-30, 1e-3, 3, 4.5, 6, 9, 12, 20, 40, 88].map(Math.fround);
const x = Float64Array.of(...randomArray(1000, 51, 8), ...SEAM, ...SEAM.map((v) => -v), ...TAILS, Number.NaN);
const n = x.length;
const dY = randomArray(n, 52);

/** |got − want| ≤ abs + rel·|want| elementwise; NaN only where NaN is expected. */
function expectClose(got: Float64Array, want: Float64Array, abs: number, rel: number, what: string): void {
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) {
      expect(Number.isNaN(got[i]), `${what} x=${x[i]}: want NaN, got ${got[i]}`).toBe(true);
      continue;
    }
    expect(Math.abs(got[i]! - want[i]!), `${what} x=${x[i]}: got ${got[i]}, want ${want[i]}`).toBeLessThanOrEqual(abs + rel * Math.abs(want[i]!));
  }
}

describe.each(SMOOTH_ACTIVATIONS)('%s kernels', (kind) => {
  it.skipIf(noGpu)('forward and backward match the float64 twin (f32 accuracy: ~1e-7 absolute, a few 1e-6 relative)', async () => {
    requireGpu(ctx);
    const y = cpu.alloc(n);
    cpu.activation(kind, n, x, y);
    const saved = savesOutput(kind) ? Float64Array.from(y, Math.fround) : x;
    const dX = cpu.alloc(n);
    cpu.activationBackward(kind, n, saved, dY, dX);

    const gx = gpu.upload(x, 'x');
    const gy = gpu.alloc(n, 'y');
    gpu.activation(kind, n, gx, gy);
    const gotY = await gpu.read(gy);
    // The backward from the GPU's own saved tensor (as in training), against the twin's from the
    // same f32 values.
    const gdX = gpu.alloc(n, 'dX');
    gpu.activationBackward(kind, n, savesOutput(kind) ? gy : gx, gpu.upload(dY, 'dY'), gdX);
    expectClose(gotY, y, 1e-7, 2e-6, `${kind} forward`);
    // sigmoid and tanh differentiate through y (1 − y², y·(1 − y)): near saturation an ulp of
    // y (6e-8) moves the gradient by ~1.2e-7·|dY| whichever side computes it, as in PyTorch.
    expectClose(await gpu.read(gdX), dX, 3e-7, 4e-6, `${kind} backward`);
    const negativeZero = 1000 + 2 * SEAM.length + TAILS.findIndex((v) => Object.is(v, -0));
    if (kind !== 'sigmoid') expect(Object.is(gotY[negativeZero], -0), `${kind}(−0) = ${gotY[negativeZero]}`).toBe(true);
  });
});
