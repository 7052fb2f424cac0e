// ReLU and LeakyReLU on the GPU: kernel specs and dispatch for kernels/activation.wgsl and
// kernels/activation_backward.wgsl. One WGSL file per direction; the LEAKY override constant
// picks the activation, so ReLU and LeakyReLU are separate cached pipelines of the same source.

import activationSource from '../../../../kernels/activation.wgsl?raw';
import activationBackwardSource from '../../../../kernels/activation_backward.wgsl?raw';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import { type KernelSpec, linearGrid } from '../kernelSpec';
import { ACTIVATION_PARAMS, IS_NAN } from '../wgslShared';

/** common/activation_params.wgsl */
export const ACTIVATION_UNIFORMS = [['total', 'u32'], ['rowPitch', 'u32'], ['slope', 'f32']] as const;

export const ACTIVATION: KernelSpec = {
  name: 'activation',
  source: activationSource,
  shared: [ACTIVATION_PARAMS, IS_NAN],
  storage: [{ name: 'x', access: 'read' }, { name: 'y', access: 'read_write' }],
  uniforms: ACTIVATION_UNIFORMS,
  workgroupSize: [256, 1, 1],
};

export const ACTIVATION_BACKWARD: KernelSpec = {
  name: 'activation_backward',
  source: activationBackwardSource,
  shared: [ACTIVATION_PARAMS, IS_NAN],
  storage: [{ name: 'saved', access: 'read' }, { name: 'dY', access: 'read' }, { name: 'dX', access: 'read_write' }],
  uniforms: ACTIVATION_UNIFORMS,
  workgroupSize: [256, 1, 1],
};

function run(ctx: GpuContext, spec: KernelSpec, leaky: boolean, n: number, slope: number, buffers: GpuTensor[], label: string): void {
  if (n === 0) return;
  const { workgroups, rowPitch } = linearGrid(n, 256);
  ctx.dispatch(spec, { constants: { LEAKY: leaky }, uniforms: { total: n, rowPitch, slope }, buffers, workgroups, label });
}

export function reluGpu(ctx: GpuContext, n: number, x: GpuTensor, y: GpuTensor, label = 'relu'): void {
  run(ctx, ACTIVATION, false, n, 0, [x, y], label);
}

/** dX from the forward OUTPUT y (threshold_backward). */
export function reluBackwardGpu(ctx: GpuContext, n: number, y: GpuTensor, dY: GpuTensor, dX: GpuTensor, label = 'relu-backward'): void {
  run(ctx, ACTIVATION_BACKWARD, false, n, 0, [y, dY, dX], label);
}

export function leakyReluGpu(ctx: GpuContext, n: number, slope: number, x: GpuTensor, y: GpuTensor, label = 'leaky-relu'): void {
  run(ctx, ACTIVATION, true, n, slope, [x, y], label);
}

/** dX from the forward INPUT x (leaky_relu_backward). */
export function leakyReluBackwardGpu(ctx: GpuContext, n: number, slope: number, x: GpuTensor, dY: GpuTensor, dX: GpuTensor, label = 'leaky-relu-backward'): void {
  run(ctx, ACTIVATION_BACKWARD, true, n, slope, [x, dY, dX], label);
}
