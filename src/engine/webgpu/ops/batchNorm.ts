// BatchNorm2d on the GPU: kernel specs and dispatch for the four batch_norm_*.wgsl kernels.
//
// Training forward = stats (one workgroup per channel) + apply (elementwise); eval = apply with
// the running statistics; backward = reduce (one workgroup per channel, also into a scratch
// buffer of this batch's sums) + input (elementwise).

import statsSource from '../../../../kernels/batch_norm_stats.wgsl?raw';
import applySource from '../../../../kernels/batch_norm_apply.wgsl?raw';
import backwardReduceSource from '../../../../kernels/batch_norm_backward_reduce.wgsl?raw';
import backwardInputSource from '../../../../kernels/batch_norm_backward_input.wgsl?raw';
import type { BatchNormGeometry } from '../../backend';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import { type KernelSpec, linearGrid } from '../kernelSpec';

const u32 = 'u32' as const;
const f32 = 'f32' as const;
const read = 'read' as const;
const readWrite = 'read_write' as const;

export const BATCH_NORM_STATS: KernelSpec = {
  name: 'batch_norm_stats',
  source: statsSource,
  storage: [
    { name: 'x', access: read }, { name: 'saveMean', access: readWrite }, { name: 'saveInvStd', access: readWrite },
    { name: 'runningMean', access: readWrite }, { name: 'runningVar', access: readWrite },
  ],
  uniforms: [['batch', u32], ['channels', u32], ['pixels', u32], ['eps', f32], ['momentum', f32]],
  workgroupSize: [256, 1, 1],
};

export const BATCH_NORM_APPLY: KernelSpec = {
  name: 'batch_norm_apply',
  source: applySource,
  storage: [
    { name: 'x', access: read }, { name: 'gamma', access: read }, { name: 'beta', access: read },
    { name: 'mean', access: read }, { name: 'spread', access: read }, { name: 'y', access: readWrite },
  ],
  uniforms: [['total', u32], ['rowPitch', u32], ['channels', u32], ['pixels', u32], ['eps', f32]],
  workgroupSize: [256, 1, 1],
};

export const BATCH_NORM_BACKWARD_REDUCE: KernelSpec = {
  name: 'batch_norm_backward_reduce',
  source: backwardReduceSource,
  storage: [
    { name: 'x', access: read }, { name: 'dY', access: read }, { name: 'saveMean', access: read },
    { name: 'saveInvStd', access: read }, { name: 'sums', access: readWrite }, { name: 'dGamma', access: readWrite },
    { name: 'dBeta', access: readWrite },
  ],
  uniforms: [['batch', u32], ['channels', u32], ['pixels', u32], ['accumulate', u32]],
  workgroupSize: [256, 1, 1],
};

export const BATCH_NORM_BACKWARD_INPUT: KernelSpec = {
  name: 'batch_norm_backward_input',
  source: backwardInputSource,
  storage: [
    { name: 'x', access: read }, { name: 'dY', access: read }, { name: 'gamma', access: read },
    { name: 'saveMean', access: read }, { name: 'saveInvStd', access: read }, { name: 'sums', access: read },
    { name: 'dX', access: readWrite },
  ],
  uniforms: [['total', u32], ['rowPitch', u32], ['channels', u32], ['pixels', u32], ['count', u32]],
  workgroupSize: [256, 1, 1],
};

function elements(g: BatchNormGeometry): number {
  return g.batch * g.channels * g.pixels;
}

export function batchNorm2dTrainGpu(
  ctx: GpuContext, g: BatchNormGeometry, eps: number, momentum: number,
  x: GpuTensor, gamma: GpuTensor, beta: GpuTensor, y: GpuTensor,
  saveMean: GpuTensor, saveInvStd: GpuTensor, runningMean: GpuTensor, runningVar: GpuTensor,
): void {
  if (g.batch * g.pixels < 2) {
    throw new Error(`BatchNorm2d in training needs more than 1 value per channel (got batch ${g.batch} × ${g.pixels} pixels); use a larger batch or eval mode`);
  }
  if (g.channels === 0) return;
  ctx.dispatch(BATCH_NORM_STATS, {
    uniforms: { batch: g.batch, channels: g.channels, pixels: g.pixels, eps, momentum },
    buffers: [x, saveMean, saveInvStd, runningMean, runningVar],
    workgroups: [g.channels, 1, 1],
    label: 'batch-norm-stats',
  });
  apply(ctx, g, eps, false, x, gamma, beta, saveMean, saveInvStd, y);
}

export function batchNorm2dEvalGpu(
  ctx: GpuContext, g: BatchNormGeometry, eps: number,
  x: GpuTensor, gamma: GpuTensor, beta: GpuTensor, runningMean: GpuTensor, runningVar: GpuTensor, y: GpuTensor,
): void {
  apply(ctx, g, eps, true, x, gamma, beta, runningMean, runningVar, y);
}

function apply(
  ctx: GpuContext, g: BatchNormGeometry, eps: number, fromVariance: boolean,
  x: GpuTensor, gamma: GpuTensor, beta: GpuTensor, mean: GpuTensor, spread: GpuTensor, y: GpuTensor,
): void {
  const total = elements(g);
  if (total === 0) return;
  const { workgroups, rowPitch } = linearGrid(total, 256);
  ctx.dispatch(BATCH_NORM_APPLY, {
    constants: { FROM_VARIANCE: fromVariance },
    uniforms: { total, rowPitch, channels: g.channels, pixels: g.pixels, eps },
    buffers: [x, gamma, beta, mean, spread, y],
    workgroups,
    label: fromVariance ? 'batch-norm-eval' : 'batch-norm-apply',
  });
}

export function batchNorm2dBackwardGpu(
  ctx: GpuContext, g: BatchNormGeometry, x: GpuTensor, dY: GpuTensor, gamma: GpuTensor,
  saveMean: GpuTensor, saveInvStd: GpuTensor, dX: GpuTensor, dGamma: GpuTensor, dBeta: GpuTensor, accumulate: boolean,
): void {
  const total = elements(g);
  if (total === 0) return;
  // Released right after recording: a later op that reuses the buffer runs after these passes.
  const sums = ctx.alloc(2 * g.channels, 'batch-norm-sums');
  ctx.dispatch(BATCH_NORM_BACKWARD_REDUCE, {
    uniforms: { batch: g.batch, channels: g.channels, pixels: g.pixels, accumulate: accumulate ? 1 : 0 },
    buffers: [x, dY, saveMean, saveInvStd, sums, dGamma, dBeta],
    workgroups: [g.channels, 1, 1],
    label: 'batch-norm-backward-reduce',
  });
  const { workgroups, rowPitch } = linearGrid(total, 256);
  ctx.dispatch(BATCH_NORM_BACKWARD_INPUT, {
    uniforms: { total, rowPitch, channels: g.channels, pixels: g.pixels, count: g.batch * g.pixels },
    buffers: [x, dY, gamma, saveMean, saveInvStd, sums, dX],
    workgroups,
    label: 'batch-norm-backward-input',
  });
  ctx.release(sums);
}
