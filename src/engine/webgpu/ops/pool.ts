// MaxPool2d and AvgPool2d on the GPU: kernel specs and dispatch for kernels/max_pool2d*.wgsl and
// kernels/avg_pool2d*.wgsl. The four kernels share one uniform struct (the pool geometry), so one
// function fills it. Forward kernels run one invocation per output, backward kernels one per input
// (a gather: deterministic, no atomics).

import maxPoolSource from '../../../../kernels/max_pool2d.wgsl?raw';
import maxPoolBackwardSource from '../../../../kernels/max_pool2d_backward.wgsl?raw';
import maxPoolBackwardScatterSource from '../../../../kernels/max_pool2d_backward_scatter.wgsl?raw';
import avgPoolSource from '../../../../kernels/avg_pool2d.wgsl?raw';
import avgPoolBackwardSource from '../../../../kernels/avg_pool2d_backward.wgsl?raw';
import { type Pool2dGeometry, poolInputElements, poolOutputElements } from '../../pool/geometry';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import { type KernelSpec, linearGrid } from '../kernelSpec';

const u32 = 'u32' as const;
const poolUniforms = [
  ['total', u32], ['rowPitch', u32], ['inHeight', u32], ['inWidth', u32],
  ['outHeight', u32], ['outWidth', u32], ['kernelH', u32], ['kernelW', u32],
  ['strideH', u32], ['strideW', u32], ['padH', u32], ['padW', u32],
  ['dilationH', u32], ['dilationW', u32], ['countIncludePad', u32],
] as const;

const spec = (name: string, source: string, storage: KernelSpec['storage']): KernelSpec => ({
  name, source, storage, uniforms: poolUniforms, workgroupSize: [256, 1, 1],
});

export const MAX_POOL2D = spec('max_pool2d', maxPoolSource, [
  { name: 'x', access: 'read' }, { name: 'y', access: 'read_write' }, { name: 'argmax', access: 'read_write' },
]);
export const MAX_POOL2D_BACKWARD = spec('max_pool2d_backward', maxPoolBackwardSource, [
  { name: 'dY', access: 'read' }, { name: 'argmax', access: 'read' }, { name: 'dX', access: 'read_write' },
]);
export const MAX_POOL2D_BACKWARD_SCATTER = spec('max_pool2d_backward_scatter', maxPoolBackwardScatterSource, [
  { name: 'dY', access: 'read' }, { name: 'argmax', access: 'read' }, { name: 'dX', access: 'read_write' },
]);
export const AVG_POOL2D = spec('avg_pool2d', avgPoolSource, [{ name: 'x', access: 'read' }, { name: 'y', access: 'read_write' }]);
export const AVG_POOL2D_BACKWARD = spec('avg_pool2d_backward', avgPoolBackwardSource, [
  { name: 'dY', access: 'read' }, { name: 'dX', access: 'read_write' },
]);

function dispatchPool(ctx: GpuContext, kernel: KernelSpec, g: Pool2dGeometry, total: number, buffers: GpuTensor[], label: string): void {
  if (total === 0) return;
  const { workgroups, rowPitch } = linearGrid(total, 256);
  ctx.dispatch(kernel, {
    uniforms: {
      total, rowPitch, inHeight: g.inHeight, inWidth: g.inWidth, outHeight: g.outHeight, outWidth: g.outWidth,
      kernelH: g.kernelH, kernelW: g.kernelW, strideH: g.strideH, strideW: g.strideW, padH: g.padH, padW: g.padW,
      dilationH: g.dilationH, dilationW: g.dilationW, countIncludePad: g.countIncludePad ? 1 : 0,
    },
    buffers,
    workgroups,
    label,
  });
}

function requireNoDilation(g: Pool2dGeometry): void {
  if (g.dilationH !== 1 || g.dilationW !== 1) {
    throw new RangeError(`avg_pool2d has no dilation (PyTorch's AvgPool2d), got [${g.dilationH}, ${g.dilationW}]`);
  }
}

/** argmax receives one u32 per output (the flat h·W + w in the input plane), not f32 values. */
export function maxPool2dGpu(ctx: GpuContext, g: Pool2dGeometry, x: GpuTensor, y: GpuTensor, argmax: GpuTensor, label = 'max-pool2d'): void {
  dispatchPool(ctx, MAX_POOL2D, g, poolOutputElements(g), [x, y, argmax], label);
}

/** Windows that tile the input exactly (each pixel in one window): the backward can be one
 *  invocation per output writing its whole window, instead of a gather per input pixel. */
export function windowsTileInput(g: Pool2dGeometry): boolean {
  return g.dilationH === 1 && g.dilationW === 1 && g.padH === 0 && g.padW === 0
    && g.strideH === g.kernelH && g.strideW === g.kernelW
    && g.outHeight * g.kernelH === g.inHeight && g.outWidth * g.kernelW === g.inWidth;
}

export function maxPool2dBackwardGpu(ctx: GpuContext, g: Pool2dGeometry, dY: GpuTensor, argmax: GpuTensor, dX: GpuTensor, label = 'max-pool2d-backward'): void {
  if (windowsTileInput(g)) {
    dispatchPool(ctx, MAX_POOL2D_BACKWARD_SCATTER, g, poolOutputElements(g), [dY, argmax, dX], label);
    return;
  }
  dispatchPool(ctx, MAX_POOL2D_BACKWARD, g, poolInputElements(g), [dY, argmax, dX], label);
}

export function avgPool2dGpu(ctx: GpuContext, g: Pool2dGeometry, x: GpuTensor, y: GpuTensor, label = 'avg-pool2d'): void {
  requireNoDilation(g);
  dispatchPool(ctx, AVG_POOL2D, g, poolOutputElements(g), [x, y], label);
}

export function avgPool2dBackwardGpu(ctx: GpuContext, g: Pool2dGeometry, dY: GpuTensor, dX: GpuTensor, label = 'avg-pool2d-backward'): void {
  requireNoDilation(g);
  dispatchPool(ctx, AVG_POOL2D_BACKWARD, g, poolInputElements(g), [dY, dX], label);
}
