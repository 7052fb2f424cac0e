// Every conv-core WGSL kernel against its float64 CPU twin, on a real WebGPU adapter.

import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { columnElements, conv2dGeometry, inputElements, outputElements, outputPixels, weightElements } from '../../src/engine/conv/geometry';
import { forwardGemm, gradInputGemm, gradWeightGemm } from '../../src/engine/conv/gemmPlan';
import { gemmSpec } from '../../src/engine/gemm';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { CONV_CONFIGS } from '../helpers/convConfigs';
import { maxAbsDiff, randomArray } from '../helpers/random';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

const cpu = new CpuBackend();
let ctx: GpuContext | null = null;
let gpu: WebGpuBackend;

beforeAll(async () => {
  ctx = await gpuContext();
  if (ctx) gpu = new WebGpuBackend(ctx);
});

// f32 accumulation against f64: errors grow with the reduction length.
const TOL = 2e-5;

describe.each(CONV_CONFIGS)('conv kernels: $name', (cfg) => {
  const g = conv2dGeometry(cfg.input, cfg.weight, cfg.options);
  const x = randomArray(inputElements(g), 11);
  const w = randomArray(weightElements(g), 12, 0.5);
  const b = cfg.bias ? randomArray(g.outChannels, 13) : null;
  const dOut = randomArray(outputElements(g), 14);

  it.skipIf(noGpu)('im2col and col2im', async () => {
    requireGpu(ctx);
    const cols = cpu.alloc(columnElements(g));
    cpu.im2col(g, x, cols);
    const gx = gpu.upload(x, 'x');
    const gcols = gpu.alloc(columnElements(g), 'cols');
    gpu.im2col(g, gx, gcols);
    expect(maxAbsDiff(await gpu.read(gcols), cols)).toBe(0);

    const dIn = cpu.alloc(inputElements(g));
    cpu.col2im(g, cols, dIn);
    const gdIn = gpu.alloc(inputElements(g), 'dIn');
    gpu.col2im(g, gcols, gdIn);
    expect(maxAbsDiff(await gpu.read(gdIn), dIn)).toBeLessThan(TOL);
  });

  it.skipIf(noGpu)('forward, grad-input, grad-weight (accumulating), grad-bias', async () => {
    requireGpu(ctx);
    const out = cpu.alloc(outputElements(g));
    cpu.conv2dForward(g, x, w, b, out);
    const dIn = cpu.alloc(inputElements(g));
    cpu.conv2dBackwardInput(g, dOut, w, dIn);
    const dW = randomArray(weightElements(g), 15);
    const dW0 = Float64Array.from(dW);
    cpu.conv2dBackwardWeight(g, x, dOut, dW, true);
    const dB = cpu.alloc(g.outChannels);
    cpu.conv2dBackwardBias(g, dOut, dB, false);

    const [gx, gw, gdOut] = [gpu.upload(x, 'x'), gpu.upload(w, 'w'), gpu.upload(dOut, 'dOut')];
    const gb = b ? gpu.upload(b, 'b') : null;
    const gout = gpu.alloc(outputElements(g), 'out');
    gpu.conv2dForward(g, gx, gw, gb, gout);
    const gdIn = gpu.alloc(inputElements(g), 'dIn');
    gpu.conv2dBackwardInput(g, gdOut, gw, gdIn);
    const gdW = gpu.upload(dW0, 'dW');
    gpu.conv2dBackwardWeight(g, gx, gdOut, gdW, true);
    const gdB = gpu.alloc(g.outChannels, 'dB');
    gpu.conv2dBackwardBias(g, gdOut, gdB, false);

    expect(maxAbsDiff(await gpu.read(gout), out)).toBeLessThan(TOL);
    expect(maxAbsDiff(await gpu.read(gdIn), dIn)).toBeLessThan(TOL);
    expect(maxAbsDiff(await gpu.read(gdW), dW)).toBeLessThan(TOL * 4);
    expect(maxAbsDiff(await gpu.read(gdB), dB)).toBeLessThan(TOL * 4);
    expect(outputPixels(g)).toBeGreaterThan(0);
  });
});

describe('gemm kernel', () => {
  it.skipIf(noGpu).each([
    [false, false], [true, false], [false, true], [true, true],
  ])('transA=%s transB=%s, odd sizes, alpha/beta, batch and reduce', async (transA, transB) => {
    requireGpu(ctx);
    const m = 37, n = 29, k = 41;
    const spec = gemmSpec({
      transA, transB, m, n, k, alpha: 0.75, beta: 0.5,
      batch: { count: [2, 3], strideA: [3 * m * k * 2, m * k * 2], strideB: [3 * k * n * 2, k * n * 2], strideC: [3 * m * n, m * n] },
      reduce: { count: 2, strideA: m * k, strideB: k * n },
    });
    const a = randomArray(2 * 3 * 2 * m * k, 21);
    const bm = randomArray(2 * 3 * 2 * k * n, 22);
    const c = randomArray(2 * 3 * m * n, 23);
    const cRef = Float64Array.from(c);
    cpu.gemm(spec, a, bm, cRef);
    const gc = gpu.upload(c, 'c');
    gpu.gemm(spec, gpu.upload(a, 'a'), gpu.upload(bm, 'b'), gc);
    expect(maxAbsDiff(await gpu.read(gc), cRef)).toBeLessThan(5e-5);
  });

  it.skipIf(noGpu)('beta = 0 ignores NaN already in C', async () => {
    requireGpu(ctx);
    const spec = gemmSpec({ m: 5, n: 6, k: 7 });
    const a = randomArray(35, 31), bm = randomArray(42, 32);
    const ref = new Float64Array(30);
    cpu.gemm(spec, a, bm, ref);
    const gc = gpu.upload(new Float32Array(30).fill(Number.NaN), 'c');
    gpu.gemm(spec, gpu.upload(a, 'a'), gpu.upload(bm, 'b'), gc);
    expect(maxAbsDiff(await gpu.read(gc), ref)).toBeLessThan(1e-5);
  });

  it('the three conv GEMM plans of the worked example run with the stated shapes', () => {
    const g = conv2dGeometry([1, 3, 9, 9], [10, 3, 3, 3], { stride: 3 });
    expect([forwardGemm(g), gradInputGemm(g), gradWeightGemm(g, true)].map((s) => [s.m, s.n, s.k])).toEqual([[10, 9, 27], [27, 9, 10], [10, 27, 9]]);
  });
});
