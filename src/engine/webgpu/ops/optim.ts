// Optimizer steps on the GPU: kernel specs and dispatch for kernels/sgd.wgsl and kernels/adam.wgsl.
// Adam's bias corrections come from the CPU twin's adamScalars, computed once in float64.

import sgdSource from '../../../../kernels/sgd.wgsl?raw';
import adamSource from '../../../../kernels/adam.wgsl?raw';
import type { AdamOptions, SgdOptions } from '../../backend';
import { adamScalars } from '../../cpu/optim';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import { type KernelSpec, linearGrid } from '../kernelSpec';

const u32 = 'u32' as const;
const f32 = 'f32' as const;

export const SGD: KernelSpec = {
  name: 'sgd',
  source: sgdSource,
  storage: [{ name: 'grad', access: 'read' }, { name: 'param', access: 'read_write' }, { name: 'momentumBuf', access: 'read_write' }],
  uniforms: [
    ['total', u32], ['rowPitch', u32], ['lr', f32], ['momentum', f32],
    ['dampening', f32], ['weightDecay', f32], ['nesterov', u32], ['firstStep', u32],
  ],
  workgroupSize: [256, 1, 1],
};

export const ADAM: KernelSpec = {
  name: 'adam',
  source: adamSource,
  storage: [
    { name: 'grad', access: 'read' }, { name: 'param', access: 'read_write' },
    { name: 'm', access: 'read_write' }, { name: 'v', access: 'read_write' },
  ],
  uniforms: [
    ['total', u32], ['rowPitch', u32], ['lr', f32], ['beta1', f32],
    ['beta2', f32], ['eps', f32], ['weightDecay', f32], ['decoupled', u32],
    ['stepSize', f32], ['biasCorrection2Sqrt', f32],
  ],
  workgroupSize: [256, 1, 1],
};

export function sgdStepGpu(ctx: GpuContext, n: number, o: SgdOptions, param: GpuTensor, grad: GpuTensor, momentumBuf: GpuTensor): void {
  if (n === 0) return;
  const { workgroups, rowPitch } = linearGrid(n, 256);
  ctx.dispatch(SGD, {
    uniforms: {
      total: n, rowPitch, lr: o.lr, momentum: o.momentum, dampening: o.dampening,
      weightDecay: o.weightDecay, nesterov: o.nesterov ? 1 : 0, firstStep: o.firstStep ? 1 : 0,
    },
    buffers: [grad, param, momentumBuf],
    workgroups,
    label: 'sgd',
  });
}

export function adamStepGpu(ctx: GpuContext, n: number, o: AdamOptions, param: GpuTensor, grad: GpuTensor, m: GpuTensor, v: GpuTensor): void {
  const { stepSize, biasCorrection2Sqrt } = adamScalars(o);
  if (n === 0) return;
  const { workgroups, rowPitch } = linearGrid(n, 256);
  ctx.dispatch(ADAM, {
    uniforms: {
      total: n, rowPitch, lr: o.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps,
      weightDecay: o.weightDecay, decoupled: o.decoupled ? 1 : 0, stepSize, biasCorrection2Sqrt,
    },
    buffers: [grad, param, m, v],
    workgroups,
    label: o.decoupled ? 'adamw' : 'adam',
  });
}
