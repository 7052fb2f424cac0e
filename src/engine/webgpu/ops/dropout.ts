// Dropout on the GPU: kernel specs and dispatch for kernels/dropout.wgsl and
// kernels/dropout_backward.wgsl. The threshold and scale come from the CPU twin's helpers, so the
// two backends cannot disagree about which draws are kept.

import dropoutSource from '../../../../kernels/dropout.wgsl?raw';
import dropoutBackwardSource from '../../../../kernels/dropout_backward.wgsl?raw';
import { checkDropoutArgs, dropThreshold } from '../../cpu/dropout';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import { type KernelSpec, linearGrid } from '../kernelSpec';

export const DROPOUT: KernelSpec = {
  name: 'dropout',
  source: dropoutSource,
  storage: [{ name: 'x', access: 'read' }, { name: 'y', access: 'read_write' }, { name: 'mask', access: 'read_write' }],
  uniforms: [['total', 'u32'], ['rowPitch', 'u32'], ['seed', 'u32'], ['threshold', 'u32'], ['scale', 'f32']],
  workgroupSize: [256, 1, 1],
};

export const DROPOUT_BACKWARD: KernelSpec = {
  name: 'dropout_backward',
  source: dropoutBackwardSource,
  storage: [{ name: 'dY', access: 'read' }, { name: 'mask', access: 'read' }, { name: 'dX', access: 'read_write' }],
  uniforms: [['total', 'u32'], ['rowPitch', 'u32']],
  workgroupSize: [256, 1, 1],
};

export function dropoutGpu(ctx: GpuContext, n: number, p: number, seed: number, x: GpuTensor, y: GpuTensor, mask: GpuTensor, label = 'dropout'): void {
  checkDropoutArgs(n, p, seed);
  if (n === 0) return;
  const { workgroups, rowPitch } = linearGrid(n, 256);
  const scale = p === 1 ? 0 : 1 / (1 - p);
  ctx.dispatch(DROPOUT, { uniforms: { total: n, rowPitch, seed, threshold: dropThreshold(p), scale }, buffers: [x, y, mask], workgroups, label });
}

export function dropoutBackwardGpu(ctx: GpuContext, n: number, dY: GpuTensor, mask: GpuTensor, dX: GpuTensor, label = 'dropout-backward'): void {
  if (n === 0) return;
  const { workgroups, rowPitch } = linearGrid(n, 256);
  ctx.dispatch(DROPOUT_BACKWARD, { uniforms: { total: n, rowPitch }, buffers: [dY, mask, dX], workgroups, label });
}
