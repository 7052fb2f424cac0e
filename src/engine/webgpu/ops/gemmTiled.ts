// Dispatch of the register-blocked GEMM (kernels/gemm_tiled.wgsl) and, for split-K, its
// deterministic second pass (kernels/gemm_split_reduce.wgsl). The config (tile shape, rows per
// invocation, slices) is chosen by the caller: a heuristic or the autotuner.

import gemmTiledSource from '../../../../kernels/gemm_tiled.wgsl?raw';
import splitReduceSource from '../../../../kernels/gemm_split_reduce.wgsl?raw';
import { type GemmSpec, gemmBatchCount } from '../../gemm';
import { type GemmConfig, gemmWorkgroups, splitPlan } from '../autotune/gemmConfigs';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import { type KernelSpec, linearGrid } from '../kernelSpec';

const u32 = 'u32' as const;
const f32 = 'f32' as const;

export const GEMM_TILED: KernelSpec = {
  name: 'gemm_tiled',
  source: gemmTiledSource,
  storage: [{ name: 'a', access: 'read' }, { name: 'b', access: 'read' }, { name: 'c', access: 'read_write' }],
  uniforms: [
    ['m', u32], ['n', u32], ['k', u32], ['lda', u32],
    ['ldb', u32], ['ldc', u32], ['offA', u32], ['offB', u32],
    ['offC', u32], ['batchInner', u32], ['strideAo', u32], ['strideAi', u32],
    ['strideBo', u32], ['strideBi', u32], ['strideCo', u32], ['strideCi', u32],
    ['reduceCount', u32], ['reduceStrideA', u32], ['reduceStrideB', u32], ['alpha', f32],
    ['beta', f32], ['batch', u32], ['splits', u32], ['splitOnR', u32],
    ['rPerSplit', u32], ['kPerSplit', u32],
  ],
  // The real size comes from the WG_X/WG_Y override constants.
  workgroupSize: [16, 4, 1],
};

export const GEMM_SPLIT_REDUCE: KernelSpec = {
  name: 'gemm_split_reduce',
  source: splitReduceSource,
  storage: [{ name: 'partials', access: 'read' }, { name: 'c', access: 'read_write' }],
  uniforms: [
    ['total', u32], ['rowPitch', u32], ['m', u32], ['n', u32],
    ['batch', u32], ['splits', u32], ['batchInner', u32], ['ldc', u32],
    ['offC', u32], ['strideCo', u32], ['strideCi', u32], ['alpha', f32],
    ['beta', f32],
  ],
  workgroupSize: [64, 1, 1],
};

export function gemmTiledGpu(ctx: GpuContext, s: GemmSpec, config: GemmConfig, a: GpuTensor, b: GpuTensor, c: GpuTensor, label = 'gemm'): void {
  if (s.m === 0 || s.n === 0) return;
  const batch = gemmBatchCount(s);
  const plan = splitPlan(s, config.splits);
  const partials = plan.splits > 1 ? ctx.alloc(plan.splits * batch * s.m * s.n, 'gemm-partials') : null;
  ctx.dispatch(GEMM_TILED, {
    constants: { TRANS_A: s.transA, TRANS_B: s.transB, WG_X: config.wgX, WG_Y: config.wgY, TM: config.tm, TN: config.tn },
    uniforms: {
      m: s.m, n: s.n, k: s.k, lda: s.lda, ldb: s.ldb, ldc: s.ldc,
      offA: s.offsetA, offB: s.offsetB, offC: s.offsetC,
      batchInner: s.batch.count[1],
      strideAo: s.batch.strideA[0], strideAi: s.batch.strideA[1],
      strideBo: s.batch.strideB[0], strideBi: s.batch.strideB[1],
      strideCo: s.batch.strideC[0], strideCi: s.batch.strideC[1],
      reduceCount: s.reduce.count, reduceStrideA: s.reduce.strideA, reduceStrideB: s.reduce.strideB,
      alpha: s.alpha, beta: s.beta, batch, splits: plan.splits, splitOnR: plan.splitOnR ? 1 : 0,
      rPerSplit: plan.rPerSplit, kPerSplit: plan.kPerSplit,
    },
    buffers: [a, b, partials ?? c],
    workgroups: gemmWorkgroups(s, config),
    label,
  });
  if (!partials) return;
  const total = batch * s.m * s.n;
  const { workgroups, rowPitch } = linearGrid(total, 64);
  ctx.dispatch(GEMM_SPLIT_REDUCE, {
    uniforms: {
      total, rowPitch, m: s.m, n: s.n, batch, splits: plan.splits, batchInner: s.batch.count[1], ldc: s.ldc,
      offC: s.offsetC, strideCo: s.batch.strideC[0], strideCi: s.batch.strideC[1], alpha: s.alpha, beta: s.beta,
    },
    buffers: [partials, c],
    workgroups,
    label: `${label}-split-reduce`,
  });
  // Safe inside the same encoder: later users of this buffer run after the reduce pass.
  ctx.release(partials);
}
