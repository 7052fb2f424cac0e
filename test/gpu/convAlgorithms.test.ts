// Every conv algorithm (im2col, implicit, direct) against the float64 CPU twins on the configs of
// test/helpers/convConfigs.ts, and through runCase on the PyTorch conformance file.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConvAlgorithm } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { conv2dGeometry, inputElements, outputElements, weightElements } from '../../src/engine/conv/geometry';
import { implicitForwardPlan, implicitGradInputPlan, implicitGradWeightPlan } from '../../src/engine/conv/implicitConv';
import { runCase } from '../../src/engine/verify/runCase';
import { implicitConvBackwardInputGpu, implicitConvBackwardWeightGpu, implicitConvForwardGpu } from '../../src/engine/webgpu/ops/convAlgorithms';
import { parseCaseFile } from '../../src/shared/cases';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { CONV_CONFIGS } from '../helpers/convConfigs';
import { maxAbsDiff, randomArray } from '../helpers/random';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

const cpu = new CpuBackend();
let ctx: GpuContext | null = null;
const backends = new Map<ConvAlgorithm, WebGpuBackend>();
const ALGORITHMS: ConvAlgorithm[] = ['implicit', 'direct', 'im2col'];

beforeAll(async () => {
  ctx = await gpuContext();
  if (ctx) for (const algo of ALGORITHMS) backends.set(algo, new WebGpuBackend(ctx, { convAlgorithm: algo }));
});

// f32 accumulation against f64: errors grow with the reduction length.
const TOL = 2e-5;

// Bigger than the worked configs: several workgroups per plane, partial tiles of channels and
// pixels, more samples than one grad-weight slice.
const EXTRA = [
  { name: 'first layer 1→8 on 28×28 (batch 5)', input: [5, 1, 28, 28], weight: [8, 1, 3, 3], options: { padding: 1 }, bias: true },
  { name: '8→16 on 14×14 (batch 3)', input: [3, 8, 14, 14], weight: [16, 8, 3, 3], options: { padding: 1 }, bias: true },
  { name: '6→10, 5×5, stride 2 (odd tiles)', input: [2, 6, 17, 13], weight: [10, 6, 5, 5], options: { padding: 2, stride: 2 }, bias: false },
  { name: '20→3 groups 1 (channel tail)', input: [2, 20, 9, 9], weight: [3, 20, 3, 3], options: { padding: 1 }, bias: true },
] as const;

const configs = [...CONV_CONFIGS, ...EXTRA.map((c) => ({ ...c, input: [...c.input] as [number, number, number, number], weight: [...c.weight] as [number, number, number, number] }))];

describe.each(ALGORITHMS)('conv algorithm %s', (algo) => {
  describe.each(configs)('$name', (cfg) => {
    it.skipIf(noGpu)('forward, grad-input, grad-weight (accumulating and not), grad-bias match the CPU twin', async () => {
      requireGpu(ctx);
      const gpu = backends.get(algo)!;
      const g = conv2dGeometry(cfg.input, cfg.weight, cfg.options);
      const x = randomArray(inputElements(g), 21);
      const w = randomArray(weightElements(g), 22, 0.5);
      const b = cfg.bias ? randomArray(g.outChannels, 23) : null;
      const dOut = randomArray(outputElements(g), 24);

      const out = cpu.alloc(outputElements(g));
      cpu.conv2dForward(g, x, w, b, out);
      const dIn = cpu.alloc(inputElements(g));
      cpu.conv2dBackwardInput(g, dOut, w, dIn);
      const dW0 = randomArray(weightElements(g), 25);
      const dWacc = Float64Array.from(dW0);
      cpu.conv2dBackwardWeight(g, x, dOut, dWacc, true);
      const dW = cpu.alloc(weightElements(g));
      cpu.conv2dBackwardWeight(g, x, dOut, dW, false);

      const [gx, gw, gdOut] = [gpu.upload(x, 'x'), gpu.upload(w, 'w'), gpu.upload(dOut, 'dOut')];
      const gb = b ? gpu.upload(b, 'b') : null;
      // Garbage in the outputs: every algorithm must overwrite, never add to, what is there.
      const gout = gpu.upload(randomArray(outputElements(g), 26), 'out');
      const gdIn = gpu.upload(randomArray(inputElements(g), 27), 'dIn');
      const gdWacc = gpu.upload(dW0, 'dWacc');
      const gdW = gpu.upload(randomArray(weightElements(g), 28), 'dW');
      gpu.conv2dForward(g, gx, gw, gb, gout);
      gpu.conv2dBackwardInput(g, gdOut, gw, gdIn);
      gpu.conv2dBackwardWeight(g, gx, gdOut, gdWacc, true);
      gpu.conv2dBackwardWeight(g, gx, gdOut, gdW, false);

      const scale = Math.sqrt(g.batch * g.outHeight * g.outWidth);
      expect(maxAbsDiff(await gpu.read(gout), out)).toBeLessThan(TOL * 4);
      expect(maxAbsDiff(await gpu.read(gdIn), dIn)).toBeLessThan(TOL * 4);
      expect(maxAbsDiff(await gpu.read(gdWacc), dWacc)).toBeLessThan(TOL * scale);
      expect(maxAbsDiff(await gpu.read(gdW), dW)).toBeLessThan(TOL * scale);
      for (const t of [gx, gw, gdOut, gout, gdIn, gdWacc, gdW, ...(gb ? [gb] : [])]) gpu.release(t);
    });
  });

  // conv2d_padding_modes.json: reflect / replicate / circular run as pad2d + this algorithm.
  it.skipIf(noGpu).each(['conv2d.json', 'conv2d_padding_modes.json'])('passes test/fixtures/cases/%s through runCase', async (name) => {
    requireGpu(ctx);
    const gpu = backends.get(algo)!;
    const file = parseCaseFile(readFileSync(`test/fixtures/cases/${name}`, 'utf8'));
    const failures: string[] = [];
    for (const c of file.cases) {
      if (c.kind === 'error') {
        failures.push(`${c.name}: ${c.message}`);
        continue;
      }
      const r = await runCase(gpu, c);
      if (!r.pass) failures.push(`${c.name}: ${JSON.stringify(r).slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  });
});

// The implicit kernels run pixel blocks across sample boundaries; every pixels-per-lane setting
// (a GPU uses 1 or 2 by plane size, a software adapter 4) must give the same result, including
// blocks that straddle two samples and a last block past the end.
describe.each([1, 2, 4] as const)('implicit kernels with %i pixels per lane', (tp) => {
  it.skipIf(noGpu).each(EXTRA.map((c) => [c.name, c] as const))('%s', async (_name, cfg) => {
    requireGpu(ctx);
    const g = conv2dGeometry([...cfg.input], [...cfg.weight], cfg.options);
    const x = randomArray(inputElements(g), 31);
    const w = randomArray(weightElements(g), 32, 0.5);
    const b = cfg.bias ? randomArray(g.outChannels, 33) : null;
    const dOut = randomArray(outputElements(g), 34);
    const out = cpu.alloc(outputElements(g));
    cpu.conv2dForward(g, x, w, b, out);
    const dIn = cpu.alloc(inputElements(g));
    cpu.conv2dBackwardInput(g, dOut, w, dIn);

    const [gx, gw, gdOut] = [ctx.upload(Float32Array.from(x), 'x'), ctx.upload(Float32Array.from(w), 'w'), ctx.upload(Float32Array.from(dOut), 'dOut')];
    const gb = b ? ctx.upload(Float32Array.from(b), 'b') : null;
    const gout = ctx.upload(randomArray(outputElements(g), 35), 'out');
    const gdIn = ctx.upload(randomArray(inputElements(g), 36), 'dIn');
    implicitConvForwardGpu(ctx, g, gx, gw, gb, gout, implicitForwardPlan(g, tp));
    implicitConvBackwardInputGpu(ctx, g, gdOut, gw, gdIn, implicitGradInputPlan(g, tp));
    expect(maxAbsDiff(Float64Array.from(await ctx.read(gout)), out)).toBeLessThan(TOL * 4);
    expect(maxAbsDiff(Float64Array.from(await ctx.read(gdIn)), dIn)).toBeLessThan(TOL * 4);
    for (const t of [gx, gw, gdOut, gout, gdIn, ...(gb ? [gb] : [])]) ctx.release(t);
  });
});

// Grad-weight holds up to 4·maxOc4 output channels per lane (a GPU 8, a software adapter 16):
// each setting must give the CPU twin's sums, with channel tails (10 and 3 outputs) included.
describe.each([1, 2, 4] as const)('implicit grad-weight with at most %i vec4s of output channels', (maxOc4) => {
  it.skipIf(noGpu).each(EXTRA.map((c) => [c.name, c] as const))('%s', async (_name, cfg) => {
    requireGpu(ctx);
    const g = conv2dGeometry([...cfg.input], [...cfg.weight], cfg.options);
    const x = randomArray(inputElements(g), 41);
    const dOut = randomArray(outputElements(g), 42);
    const dW = cpu.alloc(weightElements(g));
    cpu.conv2dBackwardWeight(g, x, dOut, dW, false);
    const [gx, gdOut] = [ctx.upload(Float32Array.from(x), 'x'), ctx.upload(Float32Array.from(dOut), 'dOut')];
    const gdW = ctx.upload(randomArray(weightElements(g), 43), 'dW');
    implicitConvBackwardWeightGpu(ctx, g, gx, gdOut, gdW, false, 8, implicitGradWeightPlan(g, 8, maxOc4));
    expect(maxAbsDiff(Float64Array.from(await ctx.read(gdW)), dW)).toBeLessThan(TOL * Math.sqrt(g.batch * g.outHeight * g.outWidth));
    for (const t of [gx, gdOut, gdW]) ctx.release(t);
  });
});
