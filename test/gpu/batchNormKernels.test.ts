// BatchNorm2d WGSL kernels against their float64 CPU twins and the PyTorch fixture.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
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

// pixels 300 > the 256-wide workgroup, so the strided loops and the tree both matter.
const SHAPES = [
  { name: 'batch 3, 2 channels, 10×30', g: { batch: 3, channels: 2, pixels: 300 } },
  { name: 'Linear-like: batch 5, 7 channels, 1×1', g: { batch: 5, channels: 7, pixels: 1 } },
];

describe.each(SHAPES)('batch norm kernels: $name', ({ g }) => {
  const total = g.batch * g.channels * g.pixels;
  // An offset and scale so a naive E[x²] − E[x]² in f32 would visibly fail.
  const x = randomArray(total, 41, 3).map((v) => Math.fround(v + 5));
  const gamma = randomArray(g.channels, 42).map((v) => Math.fround(v + 1.5));
  const beta = randomArray(g.channels, 43);
  const dY = randomArray(total, 44);
  const rm0 = randomArray(g.channels, 45, 0.2);
  const rv0 = randomArray(g.channels, 46, 0.5).map((v) => Math.fround(v + 1));

  it.skipIf(noGpu)('train forward, running stats, eval and backward (accumulating)', async () => {
    requireGpu(ctx);
    const c = g.channels;
    const y = cpu.alloc(total), mean = cpu.alloc(c), invStd = cpu.alloc(c), rm = Float64Array.from(rm0), rv = Float64Array.from(rv0);
    cpu.batchNorm2dTrain(g, 1e-5, 0.1, x, gamma, beta, y, mean, invStd, rm, rv);
    const yEval = cpu.alloc(total);
    cpu.batchNorm2dEval(g, 1e-5, x, gamma, beta, rm, rv, yEval);
    const dX = cpu.alloc(total), dGamma = Float64Array.from(rm0), dBeta = Float64Array.from(rv0);
    cpu.batchNorm2dBackward(g, x, dY, gamma, mean, invStd, dX, dGamma, dBeta, true);

    const [gx, gGamma, gBeta, gdY] = [gpu.upload(x, 'x'), gpu.upload(gamma, 'gamma'), gpu.upload(beta, 'beta'), gpu.upload(dY, 'dY')];
    const gy = gpu.alloc(total, 'y'), gMean = gpu.alloc(c, 'mean'), gInvStd = gpu.alloc(c, 'invStd');
    const gRm = gpu.upload(rm0, 'rm'), gRv = gpu.upload(rv0, 'rv');
    gpu.batchNorm2dTrain(g, 1e-5, 0.1, gx, gGamma, gBeta, gy, gMean, gInvStd, gRm, gRv);
    const gyEval = gpu.alloc(total, 'yEval');
    gpu.batchNorm2dEval(g, 1e-5, gx, gGamma, gBeta, gRm, gRv, gyEval);
    const gdX = gpu.alloc(total, 'dX'), gdGamma = gpu.upload(rm0, 'dGamma'), gdBeta = gpu.upload(rv0, 'dBeta');
    gpu.batchNorm2dBackward(g, gx, gdY, gGamma, gMean, gInvStd, gdX, gdGamma, gdBeta, true);

    expect(maxAbsDiff(await gpu.read(gMean), mean)).toBeLessThan(1e-5);
    expect(maxAbsDiff(await gpu.read(gInvStd), invStd)).toBeLessThan(1e-5);
    expect(maxAbsDiff(await gpu.read(gRm), rm)).toBeLessThan(1e-5);
    expect(maxAbsDiff(await gpu.read(gRv), rv)).toBeLessThan(1e-5);
    expect(maxAbsDiff(await gpu.read(gy), y)).toBeLessThan(1e-4);
    expect(maxAbsDiff(await gpu.read(gyEval), yEval)).toBeLessThan(1e-4);
    expect(maxAbsDiff(await gpu.read(gdX), dX)).toBeLessThan(1e-4);
    expect(maxAbsDiff(await gpu.read(gdGamma), dGamma)).toBeLessThan(1e-3);
    expect(maxAbsDiff(await gpu.read(gdBeta), dBeta)).toBeLessThan(1e-3);
  });
});

interface Tensor { shape: number[]; data: number[] }
interface BnCase {
  name: string; shape: number[]; eps: number; momentum: number;
  inputs: Record<string, Tensor>; expected: Record<string, Tensor>;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/engine/batch_norm.json'), 'utf8')) as { cases: BnCase[] };

describe('batch norm kernels against PyTorch (batch_norm.json)', () => {
  it.skipIf(noGpu).each(fixture.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    requireGpu(ctx);
    const [n, ch, h, w] = c.shape as [number, number, number, number];
    const g = { batch: n, channels: ch, pixels: h * w };
    const up = (k: string): ReturnType<typeof gpu.upload> => gpu.upload(c.inputs[k]!.data, k);
    const [x1, gamma, beta, rm, rv] = [up('x1'), up('gamma'), up('beta'), up('runningMean0'), up('runningVar0')];
    const y1 = gpu.alloc(n * ch * h * w, 'y1'), mean = gpu.alloc(ch, 'mean'), invStd = gpu.alloc(ch, 'invStd');
    gpu.batchNorm2dTrain(g, c.eps, c.momentum, x1, gamma, beta, y1, mean, invStd, rm, rv);
    const dX = gpu.alloc(n * ch * h * w, 'dX'), dGamma = gpu.alloc(ch, 'dGamma'), dBeta = gpu.alloc(ch, 'dBeta');
    gpu.batchNorm2dBackward(g, x1, up('dY'), gamma, mean, invStd, dX, dGamma, dBeta, false);
    const got: Record<string, Float64Array> = {
      y1: await gpu.read(y1), saveMean: await gpu.read(mean), saveInvStd: await gpu.read(invStd),
      dX: await gpu.read(dX), dGamma: await gpu.read(dGamma), dBeta: await gpu.read(dBeta),
    };
    gpu.batchNorm2dTrain(g, c.eps, c.momentum, up('x2'), gamma, beta, gpu.alloc(n * ch * h * w, 'y2'), mean, invStd, rm, rv);
    const yEval = gpu.alloc(n * ch * h * w, 'yEval');
    gpu.batchNorm2dEval(g, c.eps, x1, gamma, beta, rm, rv, yEval);
    got.runningMean = await gpu.read(rm);
    got.runningVar = await gpu.read(rv);
    got.yEval = await gpu.read(yEval);
    for (const [key, want] of Object.entries(c.expected)) {
      // f32 against a float64 reference: relative 1e-4 plus an absolute floor.
      const scale = Math.max(1, ...want.data.map(Math.abs));
      expect(maxAbsDiff(got[key]!, want.data), key).toBeLessThan(2e-4 * scale);
    }
  });
});
