// Linear on the GPU (gemm with the Linear plans + bias kernels) against the CPU twin and PyTorch's
// linear.json.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { linearForwardGemm, linearGradInputGemm, linearGradWeightGemm } from '../../src/engine/linear/gemmPlan';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { compareTensor, parseCaseFile, type LinearCase } from '../../src/shared/cases';
import { maxAbsDiff, randomArray } from '../helpers/random';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

const cpu = new CpuBackend();
let ctx: GpuContext | null = null;
let gpu: WebGpuBackend;

beforeAll(async () => {
  ctx = await gpuContext();
  if (ctx) gpu = new WebGpuBackend(ctx);
});

describe('Linear GEMM plans on the GPU', () => {
  it.skipIf(noGpu)('forward, grad-input, accumulating grad-weight against the CPU twin (sizes off the 32-tile)', async () => {
    requireGpu(ctx);
    const N = 33, IN = 45, OUT = 10;
    const x = randomArray(N * IN, 91), w = randomArray(OUT * IN, 92), dY = randomArray(N * OUT, 93), dW0 = randomArray(OUT * IN, 94);
    const y = cpu.alloc(N * OUT), dX = cpu.alloc(N * IN), dW = Float64Array.from(dW0);
    cpu.gemm(linearForwardGemm(N, IN, OUT), x, w, y);
    cpu.gemm(linearGradInputGemm(N, IN, OUT), dY, w, dX);
    cpu.gemm(linearGradWeightGemm(N, IN, OUT, true), dY, x, dW);
    const gx = gpu.upload(x, 'x'), gw = gpu.upload(w, 'w'), gdY = gpu.upload(dY, 'dY');
    const gy = gpu.alloc(N * OUT, 'y'), gdX = gpu.alloc(N * IN, 'dX'), gdW = gpu.upload(dW0, 'dW');
    gpu.gemm(linearForwardGemm(N, IN, OUT), gx, gw, gy);
    gpu.gemm(linearGradInputGemm(N, IN, OUT), gdY, gw, gdX);
    gpu.gemm(linearGradWeightGemm(N, IN, OUT, true), gdY, gx, gdW);
    expect(maxAbsDiff(await gpu.read(gy), y)).toBeLessThan(5e-5);
    expect(maxAbsDiff(await gpu.read(gdX), dX)).toBeLessThan(5e-5);
    expect(maxAbsDiff(await gpu.read(gdW), dW)).toBeLessThan(5e-5);
  });

  const cases = parseCaseFile(readFileSync(join(__dirname, '../fixtures/cases/linear.json'), 'utf8'))
    .cases.filter((c): c is LinearCase => c.kind === 'case' && c.op === 'linear');
  it.skipIf(noGpu).each(cases.map((c) => [c.name, c] as const))('PyTorch case %s', async (_name, c) => {
    requireGpu(ctx);
    const [N, IN] = c.inputs.input.shape as [number, number];
    const OUT = c.inputs.weight.shape[0]!;
    const x = gpu.upload(c.inputs.input.data, 'x'), w = gpu.upload(c.inputs.weight.data, 'w');
    const y = gpu.alloc(N * OUT, 'y');
    gpu.gemm(linearForwardGemm(N, IN, OUT), x, w, y);
    if (c.inputs.bias) gpu.biasAdd(N, OUT, 1, gpu.upload(c.inputs.bias.data, 'b'), y);
    const got: Record<string, Float64Array> = { output: await gpu.read(y) };
    if (c.gradOutput) {
      const dY = gpu.upload(c.gradOutput.data, 'dY');
      const dX = gpu.alloc(N * IN, 'dX'), dW = gpu.alloc(OUT * IN, 'dW'), dB = gpu.alloc(OUT, 'dB');
      gpu.gemm(linearGradInputGemm(N, IN, OUT), dY, w, dX);
      gpu.gemm(linearGradWeightGemm(N, IN, OUT, false), dY, x, dW);
      gpu.biasGrad(N, OUT, 1, dY, dB, false);
      Object.assign(got, { gradInput: await gpu.read(dX), gradWeight: await gpu.read(dW), gradBias: await gpu.read(dB) });
    }
    for (const [key, want] of Object.entries(c.expected)) {
      if (!want) continue;
      const r = compareTensor(got[key]!, want, c.tolerance);
      expect(r.pass, `${key}: worst |error| ${r.worstAbsError}`).toBe(true);
    }
  });
});
