// BatchNorm2d on the GPU: kernel specs and dispatch for the four batch_norm_*.wgsl kernels.
//
// Training forward = stats (barrier-free per-channel partials over image segments, then one lane
// per channel merging them) + apply (per plane); eval = apply with the running statistics;
// backward = reduce (partials, then per-channel sums, also into a scratch buffer of this batch's
// sums) + input (per plane). Every kernel reads vec4s where L = H·W is a multiple of 4.

import statsSource from '../../../../kernels/batch_norm_stats.wgsl?raw';
import applySource from '../../../../kernels/batch_norm_apply.wgsl?raw';
import backwardReduceSource from '../../../../kernels/batch_norm_backward_reduce.wgsl?raw';
import backwardInputSource from '../../../../kernels/batch_norm_backward_input.wgsl?raw';
import type { BatchNormGeometry } from '../../backend';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import type { KernelSpec } from '../kernelSpec';
import { CHANNEL_PLANES, IMAGE_SEGMENTS } from '../wgslShared';
import { biasGradPlan } from './convPrimitives';

const u32 = 'u32' as const;
const f32 = 'f32' as const;
const read = 'read' as const;
const readWrite = 'read_write' as const;
const SEGMENT_UNIFORMS = [['batch', u32], ['channels', u32], ['units', u32], ['segBits', u32], ['segLen', u32], ['partialsPerChannel', u32]] as const;

const stats = {
  source: statsSource,
  shared: [IMAGE_SEGMENTS],
  storage: [
    { name: 'x', access: read }, { name: 'partials', access: readWrite }, { name: 'saveMean', access: readWrite }, { name: 'saveInvStd', access: readWrite },
    { name: 'runningMean', access: readWrite }, { name: 'runningVar', access: readWrite },
  ],
  uniforms: [...SEGMENT_UNIFORMS, ['eps', f32], ['momentum', f32]],
  workgroupSize: [64, 1, 1],
} as const;
export const BATCH_NORM_STATS: KernelSpec = { ...stats, name: 'batch_norm_stats', entryPoint: 'partialStats' };
export const BATCH_NORM_STATS_VEC4: KernelSpec = { ...stats, name: 'batch_norm_stats_vec4', entryPoint: 'partialStats4' };
export const BATCH_NORM_STATS_FINISH: KernelSpec = { ...stats, name: 'batch_norm_stats_finish', entryPoint: 'finish' };

const applySpec = {
  source: applySource,
  shared: [CHANNEL_PLANES],
  storage: [
    { name: 'x', access: read }, { name: 'gamma', access: read }, { name: 'beta', access: read },
    { name: 'mean', access: read }, { name: 'spread', access: read }, { name: 'y', access: readWrite },
  ],
  uniforms: [['channels', u32], ['units', u32], ['batch', u32], ['imagesPerRow', u32], ['eps', f32]],
  workgroupSize: [64, 1, 1],
} as const;
export const BATCH_NORM_APPLY: KernelSpec = { ...applySpec, name: 'batch_norm_apply' };
export const BATCH_NORM_APPLY_VEC4: KernelSpec = { ...applySpec, name: 'batch_norm_apply_vec4', entryPoint: 'main4' };

const reduce = {
  source: backwardReduceSource,
  shared: [IMAGE_SEGMENTS],
  storage: [
    { name: 'x', access: read }, { name: 'dY', access: read }, { name: 'saveMean', access: read }, { name: 'saveInvStd', access: read },
    { name: 'partials', access: readWrite }, { name: 'sums', access: readWrite }, { name: 'dGamma', access: readWrite }, { name: 'dBeta', access: readWrite },
  ],
  uniforms: [...SEGMENT_UNIFORMS, ['accumulate', u32]],
  workgroupSize: [64, 1, 1],
} as const;
export const BATCH_NORM_BACKWARD_REDUCE: KernelSpec = { ...reduce, name: 'batch_norm_backward_reduce', entryPoint: 'partialSums' };
export const BATCH_NORM_BACKWARD_REDUCE_VEC4: KernelSpec = { ...reduce, name: 'batch_norm_backward_reduce_vec4', entryPoint: 'partialSums4' };
export const BATCH_NORM_BACKWARD_FINISH: KernelSpec = { ...reduce, name: 'batch_norm_backward_finish', entryPoint: 'finish' };

const inputSpec = {
  source: backwardInputSource,
  shared: [CHANNEL_PLANES],
  storage: [
    { name: 'x', access: read }, { name: 'dY', access: read }, { name: 'gamma', access: read },
    { name: 'saveMean', access: read }, { name: 'saveInvStd', access: read }, { name: 'sums', access: read },
    { name: 'dX', access: readWrite },
  ],
  uniforms: [['channels', u32], ['units', u32], ['batch', u32], ['imagesPerRow', u32], ['count', u32]],
  workgroupSize: [64, 1, 1],
} as const;
export const BATCH_NORM_BACKWARD_INPUT: KernelSpec = { ...inputSpec, name: 'batch_norm_backward_input' };
export const BATCH_NORM_BACKWARD_INPUT_VEC4: KernelSpec = { ...inputSpec, name: 'batch_norm_backward_input_vec4', entryPoint: 'main4' };

const MAX_GROUPS = 65535;

/** The image segments the two reductions share (as bias_grad's), and the per-plane grid of the
 *  two elementwise kernels. */
function planOf(g: BatchNormGeometry) {
  const seg = biasGradPlan(g.batch, g.pixels);
  if (g.channels > MAX_GROUPS || g.batch > MAX_GROUPS || seg.groupsY > MAX_GROUPS) {
    throw new Error(`batch norm on the GPU takes at most ${MAX_GROUPS} channels and ${MAX_GROUPS} images per call, got C=${g.channels}, N=${g.batch}; use a smaller batch`);
  }
  const partialsPerChannel = seg.groupsY * 64;
  // channel_planes.wgsl: large planes by blocks of 256 units, small ones side by side.
  const imagesPerRow = seg.units >= 64 ? 1 : Math.floor(64 / seg.units);
  const rows = Math.ceil(seg.units / 64);
  const planeGrid: [number, number, number] = imagesPerRow > 1
    ? [1, g.channels, Math.ceil(g.batch / (4 * imagesPerRow))]
    : rows >= 4 ? [Math.ceil(rows / 4), g.channels, g.batch] : [1, g.channels, Math.ceil(g.batch / Math.floor(4 / rows))];
  return {
    ...seg, partialsPerChannel, planeGrid,
    segments: { batch: g.batch, channels: g.channels, units: seg.units, segBits: seg.segBits, segLen: seg.segLen, partialsPerChannel },
    planes: { channels: g.channels, units: seg.units, batch: g.batch, imagesPerRow },
  };
}

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
  const plan = planOf(g);
  // Released right after recording: a later op that reuses the buffer runs after these passes.
  const partials = ctx.alloc(3 * g.channels * plan.partialsPerChannel, 'batch-norm-stats-partials');
  const args = { uniforms: { ...plan.segments, eps, momentum }, buffers: [x, partials, saveMean, saveInvStd, runningMean, runningVar] };
  ctx.dispatch(plan.vec4 ? BATCH_NORM_STATS_VEC4 : BATCH_NORM_STATS, { ...args, workgroups: [g.channels, plan.groupsY, 1], label: 'batch-norm-stats' });
  ctx.dispatch(BATCH_NORM_STATS_FINISH, { ...args, workgroups: [Math.ceil(g.channels / 64), 1, 1], label: 'batch-norm-stats-merge' });
  ctx.release(partials);
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
  if (elements(g) === 0) return;
  const plan = planOf(g);
  ctx.dispatch(plan.vec4 ? BATCH_NORM_APPLY_VEC4 : BATCH_NORM_APPLY, {
    constants: { FROM_VARIANCE: fromVariance },
    uniforms: { ...plan.planes, eps },
    buffers: [x, gamma, beta, mean, spread, y],
    workgroups: plan.planeGrid,
    label: fromVariance ? 'batch-norm-eval' : 'batch-norm-apply',
  });
}

export function batchNorm2dBackwardGpu(
  ctx: GpuContext, g: BatchNormGeometry, x: GpuTensor, dY: GpuTensor, gamma: GpuTensor,
  saveMean: GpuTensor, saveInvStd: GpuTensor, dX: GpuTensor, dGamma: GpuTensor, dBeta: GpuTensor, accumulate: boolean,
): void {
  if (elements(g) === 0) return;
  const plan = planOf(g);
  // Released right after recording: a later op that reuses the buffer runs after these passes.
  const sums = ctx.alloc(2 * g.channels, 'batch-norm-sums');
  const partials = ctx.alloc(2 * g.channels * plan.partialsPerChannel, 'batch-norm-backward-partials');
  const args = { uniforms: { ...plan.segments, accumulate: accumulate ? 1 : 0 }, buffers: [x, dY, saveMean, saveInvStd, partials, sums, dGamma, dBeta] };
  ctx.dispatch(plan.vec4 ? BATCH_NORM_BACKWARD_REDUCE_VEC4 : BATCH_NORM_BACKWARD_REDUCE, { ...args, workgroups: [g.channels, plan.groupsY, 1], label: 'batch-norm-backward-reduce' });
  ctx.dispatch(BATCH_NORM_BACKWARD_FINISH, { ...args, workgroups: [Math.ceil(g.channels / 64), 1, 1], label: 'batch-norm-backward-sums' });
  ctx.dispatch(plan.vec4 ? BATCH_NORM_BACKWARD_INPUT_VEC4 : BATCH_NORM_BACKWARD_INPUT, {
    uniforms: { ...plan.planes, count: g.batch * g.pixels },
    buffers: [x, dY, gamma, saveMean, saveInvStd, sums, dX],
    workgroups: plan.planeGrid,
    label: 'batch-norm-backward-input',
  });
  ctx.release(partials);
  ctx.release(sums);
}
