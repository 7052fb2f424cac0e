// Elementwise activations on the GPU: kernel specs and dispatch for kernels/activation.wgsl and
// kernels/activation_backward.wgsl. One WGSL file per direction; the KIND override constant
// picks the activation, so each is a separate cached pipeline of the same source.

import activationSource from '../../../../kernels/activation.wgsl?raw';
import activationBackwardSource from '../../../../kernels/activation_backward.wgsl?raw';
import type { SmoothActivation } from '../../backend';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import { type KernelSpec, linearGrid } from '../kernelSpec';
import { ACTIVATION_MATH, ACTIVATION_PARAMS, IS_NAN } from '../wgslShared';

/** common/activation_params.wgsl */
export const ACTIVATION_UNIFORMS = [['total', 'u32'], ['rowPitch', 'u32'], ['slope', 'f32']] as const;

/** The kernels' KIND override constant. */
export const ACTIVATION_KIND = { relu: 0, leaky_relu: 1, sigmoid: 2, tanh: 3, gelu: 4, silu: 5 } as const;
type Kind = keyof typeof ACTIVATION_KIND;

const shared = [ACTIVATION_PARAMS, IS_NAN, ACTIVATION_MATH];

export const ACTIVATION: KernelSpec = {
  name: 'activation',
  source: activationSource,
  shared,
  storage: [{ name: 'x', access: 'read' }, { name: 'y', access: 'read_write' }],
  uniforms: ACTIVATION_UNIFORMS,
  workgroupSize: [256, 1, 1],
};

export const ACTIVATION_BACKWARD: KernelSpec = {
  name: 'activation_backward',
  source: activationBackwardSource,
  shared,
  storage: [{ name: 'saved', access: 'read' }, { name: 'dY', access: 'read' }, { name: 'dX', access: 'read_write' }],
  uniforms: ACTIVATION_UNIFORMS,
  workgroupSize: [256, 1, 1],
};

/** relu and leaky_relu over vec4s (main4), for n a multiple of 4. */
export const ACTIVATION_VEC4: KernelSpec = { ...ACTIVATION, name: 'activation_vec4', entryPoint: 'main4' };
export const ACTIVATION_BACKWARD_VEC4: KernelSpec = { ...ACTIVATION_BACKWARD, name: 'activation_backward_vec4', entryPoint: 'main4' };

function run(ctx: GpuContext, spec: KernelSpec, kind: Kind, n: number, slope: number, buffers: GpuTensor[], label: string): void {
  if (n === 0) return;
  // The piecewise-linear two take the vec4 entry point where they can: same selects, a quarter
  // of the memory operations.
  const vec4 = n % 4 === 0 && (kind === 'relu' || kind === 'leaky_relu');
  const total = vec4 ? n / 4 : n;
  const kernel = vec4 ? (spec === ACTIVATION ? ACTIVATION_VEC4 : ACTIVATION_BACKWARD_VEC4) : spec;
  const { workgroups, rowPitch } = linearGrid(total, 256);
  ctx.dispatch(kernel, { constants: { KIND: ACTIVATION_KIND[kind] }, uniforms: { total, rowPitch, slope }, buffers, workgroups, label });
}

export function reluGpu(ctx: GpuContext, n: number, x: GpuTensor, y: GpuTensor, label = 'relu'): void {
  run(ctx, ACTIVATION, 'relu', n, 0, [x, y], label);
}

/** dX from the forward OUTPUT y (threshold_backward). */
export function reluBackwardGpu(ctx: GpuContext, n: number, y: GpuTensor, dY: GpuTensor, dX: GpuTensor, label = 'relu-backward'): void {
  run(ctx, ACTIVATION_BACKWARD, 'relu', n, 0, [y, dY, dX], label);
}

export function leakyReluGpu(ctx: GpuContext, n: number, slope: number, x: GpuTensor, y: GpuTensor, label = 'leaky-relu'): void {
  run(ctx, ACTIVATION, 'leaky_relu', n, slope, [x, y], label);
}

/** dX from the forward INPUT x (leaky_relu_backward). */
export function leakyReluBackwardGpu(ctx: GpuContext, n: number, slope: number, x: GpuTensor, dY: GpuTensor, dX: GpuTensor, label = 'leaky-relu-backward'): void {
  run(ctx, ACTIVATION_BACKWARD, 'leaky_relu', n, slope, [x, dY, dX], label);
}

export function activationGpu(ctx: GpuContext, kind: SmoothActivation, n: number, x: GpuTensor, y: GpuTensor): void {
  run(ctx, ACTIVATION, kind, n, 0, [x, y], kind);
}

/** `saved` is the forward output for sigmoid and tanh, the input for gelu and silu. */
export function activationBackwardGpu(ctx: GpuContext, kind: SmoothActivation, n: number, saved: GpuTensor, dY: GpuTensor, dX: GpuTensor): void {
  run(ctx, ACTIVATION_BACKWARD, kind, n, 0, [saved, dY, dX], `${kind}-backward`);
}
