// The BatchNorm2d kernels' work layouts against the float64 twin: f32 and vec4 units (L a
// multiple of 4 or not), planes of 64 units and more (blocks of 256 units) and smaller ones
// (several images side by side in a row of lanes, the rows past the batch left out), and
// batches above 64 (several workgroups of image segments per channel).
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { maxAbsDiff, randomArray } from '../helpers/random';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

let gpu: WebGpuBackend | null = null;
beforeAll(async () => {
  const ctx = await gpuContext();
  if (ctx) gpu = new WebGpuBackend(ctx);
});
const cpu = new CpuBackend();

const SHAPES = [
  { name: '8×8 planes as vec4s, 3 images per row of lanes, 70 images', g: { batch: 70, channels: 3, pixels: 64 } },
  { name: '7×7 planes as f32s, 1 image per row, 5 images', g: { batch: 5, channels: 4, pixels: 49 } },
  { name: '2×2 planes as one vec4 each, 64 images per row, 130 images', g: { batch: 130, channels: 2, pixels: 4 } },
  { name: '32×32 planes as vec4s, 256 units per plane, 3 images', g: { batch: 3, channels: 2, pixels: 1024 } },
  { name: '16×16 planes as vec4s, one row per plane, 4 planes per workgroup, 9 images', g: { batch: 9, channels: 3, pixels: 256 } },
  { name: '10×10 planes as vec4s (25 units), 2 images per row, 11 images', g: { batch: 11, channels: 2, pixels: 100 } },
  { name: '12×12 planes as vec4s (36 units), 1 image per row, 7 images', g: { batch: 7, channels: 2, pixels: 144 } },
  { name: '10×15 planes as f32s, 3 rows of lanes per plane, 7 images', g: { batch: 7, channels: 2, pixels: 150 } },
  { name: '33×33 planes as f32s, 5 blocks per plane, 2 images', g: { batch: 2, channels: 3, pixels: 1089 } },
];

describe.each(SHAPES)('batch norm layouts: $name', ({ g }) => {
  it.skipIf(noGpu)('matches the CPU twin forward (train, eval) and backward', async () => {
    requireGpu(gpu);
    const total = g.batch * g.channels * g.pixels;
    const c = g.channels;
    const x = randomArray(total, 61, 2).map((v) => Math.fround(v + 3));
    const gamma = randomArray(c, 62).map((v) => Math.fround(v + 1.5));
    const beta = randomArray(c, 63);
    const dY = randomArray(total, 64);
    const rm0 = randomArray(c, 65, 0.2);
    const rv0 = randomArray(c, 66, 0.5).map((v) => Math.fround(v + 1));
    const want = { y: cpu.alloc(total), mean: cpu.alloc(c), invStd: cpu.alloc(c), rm: Float64Array.from(rm0), rv: Float64Array.from(rv0), yEval: cpu.alloc(total), dX: cpu.alloc(total), dGamma: cpu.alloc(c), dBeta: cpu.alloc(c) };
    cpu.batchNorm2dTrain(g, 1e-5, 0.1, x, gamma, beta, want.y, want.mean, want.invStd, want.rm, want.rv);
    cpu.batchNorm2dEval(g, 1e-5, x, gamma, beta, want.rm, want.rv, want.yEval);
    cpu.batchNorm2dBackward(g, x, dY, gamma, want.mean, want.invStd, want.dX, want.dGamma, want.dBeta, false);

    const b = gpu;
    const [gx, gGamma, gBeta, gdY] = [b.upload(x, 'x'), b.upload(gamma, 'gamma'), b.upload(beta, 'beta'), b.upload(dY, 'dY')];
    const got = { y: b.alloc(total, 'y'), mean: b.alloc(c, 'mean'), invStd: b.alloc(c, 'invStd'), rm: b.upload(rm0, 'rm'), rv: b.upload(rv0, 'rv'), yEval: b.alloc(total, 'yEval'), dX: b.alloc(total, 'dX'), dGamma: b.alloc(c, 'dGamma'), dBeta: b.alloc(c, 'dBeta') };
    b.batchNorm2dTrain(g, 1e-5, 0.1, gx, gGamma, gBeta, got.y, got.mean, got.invStd, got.rm, got.rv);
    b.batchNorm2dEval(g, 1e-5, gx, gGamma, gBeta, got.rm, got.rv, got.yEval);
    b.batchNorm2dBackward(g, gx, gdY, gGamma, got.mean, got.invStd, got.dX, got.dGamma, got.dBeta, false);
    for (const key of ['mean', 'invStd', 'rm', 'rv'] as const) expect(maxAbsDiff(await b.read(got[key]), want[key]), key).toBeLessThan(1e-5);
    for (const key of ['y', 'yEval', 'dX'] as const) expect(maxAbsDiff(await b.read(got[key]), want[key]), key).toBeLessThan(1e-4);
    for (const key of ['dGamma', 'dBeta'] as const) expect(maxAbsDiff(await b.read(got[key]), want[key]), key).toBeLessThan(1e-3 * Math.sqrt(g.batch * g.pixels / 64));
  });
});
