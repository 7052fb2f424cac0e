// Every variant of the register-blocked GEMM (workgroup shape × rows × columns per invocation ×
// transposes × split-K) against the float64 CPU twin, on sizes that are off every tile edge,
// with alpha/beta, two-level batches, offsets/leading dimensions and a reduced batch.

import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { type GemmSpec, gemmSpec } from '../../src/engine/gemm';
import { type GemmConfig, ROWS_PER_INVOCATION, WORKGROUP_SHAPES, gemmConfigKey } from '../../src/engine/webgpu/autotune/gemmConfigs';
import { operandExtent } from '../../src/engine/webgpu/autotune/gemmTuning';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { gemmTiledGpu } from '../../src/engine/webgpu/ops/gemmTiled';
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

/** An odd-sized batched, reduced GEMM with padding in every leading dimension. */
function oddSpec(transA: boolean, transB: boolean, alpha: number, beta: number): GemmSpec {
  const [m, n, k] = [13, 37, 11];
  const lda = (transA ? m : k) + 3;
  const ldb = (transB ? k : n) + 2;
  const ldc = n + 5;
  const matA = (transA ? k : m) * lda;
  const matB = (transB ? n : k) * ldb;
  const matC = m * ldc;
  return gemmSpec({
    transA, transB, m, n, k, alpha, beta, lda, ldb, ldc, offsetA: 4, offsetB: 7, offsetC: 2,
    batch: { count: [2, 3], strideA: [0, matA], strideB: [3 * 3 * matB, 3 * matB], strideC: [3 * matC, matC] },
    reduce: { count: 3, strideA: 3 * matA, strideB: matB },
  });
}

async function check(s: GemmSpec, config: GemmConfig): Promise<number> {
  const a = randomArray(operandExtent(s, 'a'), 1);
  const b = randomArray(operandExtent(s, 'b'), 2);
  const c0 = randomArray(operandExtent(s, 'c'), 3);
  const want = Float64Array.from(c0);
  cpu.gemm(s, a, b, want);
  const gc = gpu.upload(c0, 'c');
  gemmTiledGpu(ctx!, s, config, gpu.upload(a, 'a'), gpu.upload(b, 'b'), gc);
  return maxAbsDiff(await gpu.read(gc), want);
}

const TRANSPOSES: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

describe.each(TRANSPOSES)('gemm_tiled transA=%s transB=%s', (transA, transB) => {
  it.skipIf(noGpu)('every workgroup shape × tm × tn, odd sizes, batch, reduce, alpha/beta', async () => {
    requireGpu(ctx);
    const s = oddSpec(transA, transB, 0.75, -0.5);
    for (const [wgX, wgY] of [...WORKGROUP_SHAPES, [4, 16] as const]) {
      for (const tm of ROWS_PER_INVOCATION) {
        for (const tn of [4, 8] as const) {
          const config: GemmConfig = { wgX, wgY, tm, tn, splits: 1 };
          expect(await check(s, config), gemmConfigKey(config)).toBeLessThan(1e-4);
        }
      }
    }
  });

  it.skipIf(noGpu)('split-K over the reduced batch and over k, beta 0 ignoring NaN in C', async () => {
    requireGpu(ctx);
    const s = oddSpec(transA, transB, 1.25, 1);
    for (const splits of [2, 3, 5]) expect(await check(s, { wgX: 8, wgY: 8, tm: 2, tn: 4, splits })).toBeLessThan(1e-4);
    const single = gemmSpec({ transA, transB, m: 7, n: 5, k: 301, beta: 0 });
    const a = randomArray(operandExtent(single, 'a'), 4);
    const b = randomArray(operandExtent(single, 'b'), 5);
    const want = new Float64Array(35);
    cpu.gemm(single, a, b, want);
    for (const splits of [1, 4, 9]) {
      const gc = gpu.upload(new Float32Array(35).fill(NaN), 'c');
      gemmTiledGpu(ctx, single, { wgX: 4, wgY: 16, tm: 1, tn: 4, splits }, gpu.upload(a, 'a'), gpu.upload(b, 'b'), gc);
      expect(maxAbsDiff(await gpu.read(gc), want), `splits ${splits}`).toBeLessThan(1e-4);
    }
  });
});

describe('gemm_tiled edge cases', () => {
  it.skipIf(noGpu)('k = 0 gives beta · C; 1×1 outputs; the split-K result is the same bits every run', async () => {
    requireGpu(ctx);
    expect(await check(gemmSpec({ m: 3, n: 2, k: 0, beta: 0.5 }), { wgX: 16, wgY: 4, tm: 4, tn: 8, splits: 1 })).toBe(0);
    expect(await check(gemmSpec({ m: 1, n: 1, k: 9 }), { wgX: 16, wgY: 4, tm: 8, tn: 8, splits: 3 })).toBeLessThan(1e-5);
    const s = gemmSpec({ m: 8, n: 9, k: 784, reduce: { count: 8, strideA: 8 * 784, strideB: 9 * 784 }, transB: true, lda: 784, ldb: 784 });
    const [a, b] = [gpu.upload(randomArray(operandExtent(s, 'a'), 6), 'a'), gpu.upload(randomArray(operandExtent(s, 'b'), 7), 'b')];
    const runs: Float32Array[] = [];
    for (let i = 0; i < 2; i++) {
      const c = gpu.alloc(72, 'c');
      gemmTiledGpu(ctx, s, { wgX: 4, wgY: 16, tm: 2, tn: 4, splits: 8 }, a, b, c);
      runs.push(await ctx.read(c));
    }
    expect(Array.from(runs[0]!)).toEqual(Array.from(runs[1]!));
  });

  it.skipIf(noGpu)('the autotuner only keeps configs that match the naive kernel', async () => {
    requireGpu(ctx);
    const s = gemmSpec({ m: 10, n: 12, k: 20, transA: true });
    const config = await gpu.gemmTuning.tune(s, 'test', 1);
    expect(await check(s, config)).toBeLessThan(1e-4);
    const choice = gpu.describeChoices().find((c) => c.phase === 'test')!;
    expect(choice.reason).toBe('measured');
    expect(choice.candidates.every((c) => c.ms !== null)).toBe(true);
  });
});
