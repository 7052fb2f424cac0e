// The registry of the conv-core WGSL kernels: each .wgsl file with its bindings and uniform
// layout. test/engine/webgpu/kernelSpecs.test.ts checks every spec's uniforms, bindings and
// shared pieces against the WGSL text (no GPU needed).

import gemmSource from '../../../kernels/gemm.wgsl?raw';
import im2colSource from '../../../kernels/im2col.wgsl?raw';
import col2imSource from '../../../kernels/col2im.wgsl?raw';
import biasAddSource from '../../../kernels/bias_add.wgsl?raw';
import biasGradSource from '../../../kernels/bias_grad.wgsl?raw';
import type { KernelSpec } from './kernelSpec';
import { IMAGE_SEGMENTS, UNFOLD_PARAMS } from './wgslShared';

const u32 = 'u32' as const;
const f32 = 'f32' as const;

/** common/unfold_params.wgsl */
export const UNFOLD_UNIFORMS = [
  ['total', u32], ['rowPitch', u32], ['channels', u32], ['height', u32],
  ['width', u32], ['kernelH', u32], ['kernelW', u32], ['strideH', u32],
  ['strideW', u32], ['padTop', u32], ['padLeft', u32], ['dilationH', u32],
  ['dilationW', u32], ['outHeight', u32], ['outWidth', u32],
] as const;

export const GEMM: KernelSpec = {
  name: 'gemm',
  source: gemmSource,
  storage: [{ name: 'a', access: 'read' }, { name: 'b', access: 'read' }, { name: 'c', access: 'read_write' }],
  uniforms: [
    ['m', u32], ['n', u32], ['k', u32], ['lda', u32],
    ['ldb', u32], ['ldc', u32], ['offA', u32], ['offB', u32],
    ['offC', u32], ['batchInner', u32], ['strideAo', u32], ['strideAi', u32],
    ['strideBo', u32], ['strideBi', u32], ['strideCo', u32], ['strideCi', u32],
    ['reduceCount', u32], ['reduceStrideA', u32], ['reduceStrideB', u32], ['alpha', f32],
    ['beta', f32],
  ],
  workgroupSize: [8, 8, 1],
};

export const IM2COL: KernelSpec = {
  name: 'im2col',
  source: im2colSource,
  shared: [UNFOLD_PARAMS],
  storage: [{ name: 'input', access: 'read' }, { name: 'columns', access: 'read_write' }],
  uniforms: UNFOLD_UNIFORMS,
  workgroupSize: [256, 1, 1],
};

export const COL2IM: KernelSpec = {
  name: 'col2im',
  source: col2imSource,
  shared: [UNFOLD_PARAMS],
  storage: [{ name: 'columns', access: 'read' }, { name: 'dInput', access: 'read_write' }],
  uniforms: UNFOLD_UNIFORMS,
  workgroupSize: [256, 1, 1],
};

export const BIAS_ADD: KernelSpec = {
  name: 'bias_add',
  source: biasAddSource,
  storage: [{ name: 'bias', access: 'read' }, { name: 'out', access: 'read_write' }],
  uniforms: [['total', u32], ['rowPitch', u32], ['channels', u32], ['pixels', u32]],
  workgroupSize: [256, 1, 1],
};

// Three entry points of one file (see its header): the sums of image segments (f32 or vec4
// loads), then one lane per channel adding them up.
const biasGrad = {
  source: biasGradSource,
  shared: [IMAGE_SEGMENTS],
  storage: [{ name: 'dOut', access: 'read' }, { name: 'partials', access: 'read_write' }, { name: 'dBias', access: 'read_write' }],
  uniforms: [
    ['batch', u32], ['channels', u32], ['units', u32], ['accumulate', u32],
    ['segBits', u32], ['segLen', u32], ['partialsPerChannel', u32],
  ],
  workgroupSize: [64, 1, 1],
} as const;

export const BIAS_GRAD_PARTIALS: KernelSpec = { ...biasGrad, name: 'bias_grad_partials', entryPoint: 'partialSums' };
export const BIAS_GRAD_PARTIALS_VEC4: KernelSpec = { ...biasGrad, name: 'bias_grad_partials_vec4', entryPoint: 'partialSums4' };
export const BIAS_GRAD_FINISH: KernelSpec = { ...biasGrad, name: 'bias_grad_finish', entryPoint: 'finish' };
