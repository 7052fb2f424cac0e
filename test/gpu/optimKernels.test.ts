// sgd.wgsl and adam.wgsl against their float64 CPU twins (5 steps, every option) and PyTorch.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdamOptions, SgdOptions } from '../../src/engine/backend';
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

const N = 300; // more than one workgroup
const STEPS = 5;
const grads = Array.from({ length: STEPS }, (_, t) => randomArray(N, 60 + t));
const param0 = randomArray(N, 59);

type Run = { kind: 'sgd'; o: Omit<SgdOptions, 'firstStep'> } | { kind: 'adam'; o: Omit<AdamOptions, 'step'> };

async function trajectories(run: Run, start: ArrayLike<number>, gradsAt: ArrayLike<number>[]) {
  const n = start.length;
  const p = Float64Array.from(start), a = cpu.zeros(n), b = cpu.zeros(n);
  const gp = gpu.upload(start, 'param'), ga = gpu.zeros(n, 'm'), gb = gpu.zeros(n, 'v');
  const worst: number[] = [];
  for (let t = 0; t < gradsAt.length; t++) {
    const g = Float64Array.from(gradsAt[t]!);
    const gg = gpu.upload(g, 'grad');
    if (run.kind === 'sgd') {
      cpu.sgdStep(n, { ...run.o, firstStep: t === 0 }, p, g, a);
      gpu.sgdStep(n, { ...run.o, firstStep: t === 0 }, gp, gg, ga);
    } else {
      cpu.adamStep(n, { ...run.o, step: t + 1 }, p, g, a, b);
      gpu.adamStep(n, { ...run.o, step: t + 1 }, gp, gg, ga, gb);
    }
    worst.push(maxAbsDiff(await gpu.read(gp), p));
  }
  return { worst, cpuParam: p, gpuParam: await gpu.read(gp) };
}

const RUNS: Array<[string, Run]> = [
  ['sgd plain', { kind: 'sgd', o: { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 } }],
  ['sgd momentum + dampening + weight decay', { kind: 'sgd', o: { lr: 0.05, momentum: 0.9, dampening: 0.2, nesterov: false, weightDecay: 0.01 } }],
  ['sgd nesterov', { kind: 'sgd', o: { lr: 0.05, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0 } }],
  ['adam with L2', { kind: 'adam', o: { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, decoupled: false } }],
  ['adamw', { kind: 'adam', o: { lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, decoupled: true } }],
];

describe('optimizer kernels', () => {
  it.skipIf(noGpu).each(RUNS)('%s: 5 steps track the CPU twin', async (_name, run) => {
    requireGpu(ctx);
    const { worst } = await trajectories(run, param0, grads);
    for (const w of worst) expect(w).toBeLessThan(1e-5);
  });

  interface Tensor { data: number[] }
  interface OptimCase { name: string; kind: 'sgd' | 'adam'; options: Run['o']; param0: Tensor; grads: Tensor[]; expected: Tensor[] }
  const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/engine/optim.json'), 'utf8')) as { cases: OptimCase[] };
  it.skipIf(noGpu).each(fixture.cases.map((c) => [c.name, c] as const))('PyTorch trajectory %s', async (_name, c) => {
    requireGpu(ctx);
    const { gpuParam } = await trajectories({ kind: c.kind, o: c.options } as Run, c.param0.data, c.grads.map((g) => g.data));
    expect(maxAbsDiff(gpuParam, c.expected[STEPS - 1]!.data)).toBeLessThan(1e-5);
  });
});
