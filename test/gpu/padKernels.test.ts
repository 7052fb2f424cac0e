// pad2d.wgsl and pad2d_backward.wgsl (Conv2d's reflect / replicate / circular padding) against
// their float64 CPU twins: exact, since both only copy and add the same f32 values (the gather
// adds a cell's taps in a fixed order, the twin in scan order; with at most a few taps per cell
// the sums are compared to 1e-6).

import { beforeAll, describe, expect, it } from 'vitest';
import type { Pad2dGeometry } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { PADDING_MODES, paddedElements } from '../../src/engine/conv/paddingMode';
import type { GpuContext } from '../../src/engine/webgpu/context';
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

// [planes, H, W, top, bottom, left, right]: symmetric, asymmetric ('same' with an even kernel),
// at reflect's limit (pad = size − 1), a 1-wide plane (replicate and circular only), and many
// planes (several workgroups).
const SHAPES = [
  [2, 5, 6, 1, 1, 1, 1],
  [3, 4, 5, 0, 1, 2, 1],
  [1, 3, 4, 2, 2, 3, 3],
  [1, 1, 3, 1, 1, 2, 2],
  [40, 7, 7, 2, 2, 2, 2],
] as const;

// reflect needs padding < size on each axis (PyTorch refuses the rest; see the op's check).
const fits = (mode: string, [, height, width, top, bottom, left, right]: (typeof SHAPES)[number]) =>
  mode !== 'reflect' || (Math.max(top, bottom) < height && Math.max(left, right) < width);

describe.each(PADDING_MODES)('pad2d %s', (mode) => {
  it.skipIf(noGpu).each(SHAPES.filter((s) => fits(mode, s)).map((s) => [s.join(','), s] as const))('forward and backward, shape %s', async (_name, s) => {
    requireGpu(ctx);
    const [planes, height, width, top, bottom, left, right] = s;
    const g: Pad2dGeometry = { mode, planes, height, width, top, bottom, left, right };
    const n = planes * height * width;
    const m = paddedElements(g);
    const x = randomArray(n, 61);
    const dY = randomArray(m, 62);
    const [y, dX] = [cpu.alloc(m), cpu.alloc(n)];
    cpu.pad2d(g, x, y);
    cpu.pad2dBackward(g, dY, dX);
    const [gy, gdX] = [gpu.alloc(m, 'y'), gpu.upload(randomArray(n, 63), 'dX')];
    gpu.pad2d(g, gpu.upload(x, 'x'), gy);
    gpu.pad2dBackward(g, gpu.upload(dY, 'dY'), gdX);
    expect(maxAbsDiff(await gpu.read(gy), y)).toBe(0);
    expect(maxAbsDiff(await gpu.read(gdX), dX)).toBeLessThan(1e-6);
  });
});
