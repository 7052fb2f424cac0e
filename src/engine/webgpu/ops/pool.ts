// MaxPool2d and AvgPool2d on the GPU: kernel specs and dispatch for kernels/max_pool2d*.wgsl and
// kernels/avg_pool2d*.wgsl. The four kernels share one uniform struct (the pool geometry), so one
// function fills it. Forward kernels run one invocation per output, backward kernels one per input
// (a gather: deterministic, no atomics) unless the windows tile the input (one per output).
// Max pool can also run a ReLU fused in front of it (the RELU override constant of its kernels):
// the forward gives relu(max), the backward masks by that output. Both equal ReLU-then-MaxPool
// bit for bit (see the kernels' headers).

import maxPoolSource from '../../../../kernels/max_pool2d.wgsl?raw';
import maxPoolBackwardSource from '../../../../kernels/max_pool2d_backward.wgsl?raw';
import maxPoolBackwardScatterSource from '../../../../kernels/max_pool2d_backward_scatter.wgsl?raw';
import avgPoolSource from '../../../../kernels/avg_pool2d.wgsl?raw';
import avgPoolBackwardSource from '../../../../kernels/avg_pool2d_backward.wgsl?raw';
import { type Pool2dGeometry, poolInputElements, poolOutputElements } from '../../pool/geometry';
import type { GpuContext } from '../context';
import type { OverrideConstants } from '../pipelineCache';
import type { GpuTensor } from '../gpuTensor';
import { type KernelSpec, linearGrid } from '../kernelSpec';
import { AVG_POOL_DIVISOR, IS_NAN, POOL_PARAMS, type WgslPart } from '../wgslShared';

const u32 = 'u32' as const;
/** common/pool_params.wgsl */
export const POOL_UNIFORMS = [
  ['total', u32], ['rowPitch', u32], ['inHeight', u32], ['inWidth', u32],
  ['outHeight', u32], ['outWidth', u32], ['kernelH', u32], ['kernelW', u32],
  ['strideH', u32], ['strideW', u32], ['padH', u32], ['padW', u32],
  ['dilationH', u32], ['dilationW', u32], ['countIncludePad', u32],
] as const;

const spec = (name: string, source: string, storage: KernelSpec['storage'], shared: WgslPart[]): KernelSpec => ({
  name, source, shared: [POOL_PARAMS, ...shared], storage, uniforms: POOL_UNIFORMS, workgroupSize: [256, 1, 1],
});

const maxPoolForwardStorage: KernelSpec['storage'] = [
  { name: 'x', access: 'read' }, { name: 'y', access: 'read_write' }, { name: 'argmax', access: 'read_write' },
];
// Binding 4 is the fused forward's output, read only with RELU.
const maxPoolBackwardStorage: KernelSpec['storage'] = [
  { name: 'dY', access: 'read' }, { name: 'argmax', access: 'read' }, { name: 'dX', access: 'read_write' }, { name: 'reluOutput', access: 'read' },
];

export const MAX_POOL2D = spec('max_pool2d', maxPoolSource, maxPoolForwardStorage, [IS_NAN]);
export const MAX_POOL2D_TILED: KernelSpec = { ...spec('max_pool2d_tiled', maxPoolSource, maxPoolForwardStorage, [IS_NAN]), entryPoint: 'main_tiled' };
export const MAX_POOL2D_BACKWARD = spec('max_pool2d_backward', maxPoolBackwardSource, maxPoolBackwardStorage, [IS_NAN]);
export const MAX_POOL2D_BACKWARD_SCATTER = spec('max_pool2d_backward_scatter', maxPoolBackwardScatterSource, maxPoolBackwardStorage, [IS_NAN]);
export const AVG_POOL2D = spec('avg_pool2d', avgPoolSource, [{ name: 'x', access: 'read' }, { name: 'y', access: 'read_write' }], [AVG_POOL_DIVISOR]);
export const AVG_POOL2D_BACKWARD = spec('avg_pool2d_backward', avgPoolBackwardSource, [
  { name: 'dY', access: 'read' }, { name: 'dX', access: 'read_write' },
], [AVG_POOL_DIVISOR]);

/** One dispatch of any pool kernel over `total` invocations; exported so tests can run a
 *  kernel the ops below would not pick (the general max pool on a tiled geometry). */
export function dispatchPool(
  ctx: GpuContext, kernel: KernelSpec, g: Pool2dGeometry, total: number, buffers: GpuTensor[], label: string, constants?: OverrideConstants,
): void {
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
    constants,
    label,
  });
}

function requireNoDilation(g: Pool2dGeometry): void {
  if (g.dilationH !== 1 || g.dilationW !== 1) {
    throw new RangeError(`avg_pool2d has no dilation (PyTorch's AvgPool2d), got [${g.dilationH}, ${g.dilationW}]`);
  }
}

/** Windows that tile the input exactly (each pixel in one window): the forward needs no bounds
 *  work and the backward can be one invocation per output writing its whole window, instead of a
 *  gather per input pixel. */
export function windowsTileInput(g: Pool2dGeometry): boolean {
  return g.dilationH === 1 && g.dilationW === 1 && g.padH === 0 && g.padW === 0
    && g.strideH === g.kernelH && g.strideW === g.kernelW
    && g.outHeight * g.kernelH === g.inHeight && g.outWidth * g.kernelW === g.inWidth;
}

/** Override constants of the tiled kernels: the 2×2 window (maxpool(2)) gets its taps unrolled. */
function tiledConstants(g: Pool2dGeometry, relu: boolean): OverrideConstants {
  return { RELU: relu, WINDOW_2X2: g.kernelH === 2 && g.kernelW === 2 };
}

/** argmax receives one u32 per output (the flat h·W + w in the input plane), not f32 values.
 *  With `relu`, y = relu(max): a ReLU fused in front of the pool (argmax unchanged). */
export function maxPool2dGpu(
  ctx: GpuContext, g: Pool2dGeometry, x: GpuTensor, y: GpuTensor, argmax: GpuTensor, relu = false,
  label = relu ? 'relu+max-pool2d' : 'max-pool2d',
): void {
  const buffers = [x, y, argmax];
  if (windowsTileInput(g)) {
    dispatchPool(ctx, MAX_POOL2D_TILED, g, poolOutputElements(g), buffers, label, tiledConstants(g, relu));
    return;
  }
  dispatchPool(ctx, MAX_POOL2D, g, poolOutputElements(g), buffers, label, { RELU: relu });
}

/** With `reluOutput` (the y of maxPool2dGpu with relu), also the fused ReLU's backward: dY
 *  passes only where reluOutput > 0 or is NaN. */
export function maxPool2dBackwardGpu(
  ctx: GpuContext, g: Pool2dGeometry, dY: GpuTensor, argmax: GpuTensor, dX: GpuTensor, reluOutput: GpuTensor | null = null,
  label = reluOutput ? 'relu+max-pool2d-backward' : 'max-pool2d-backward',
): void {
  const relu = reluOutput !== null;
  // Without the ReLU the kernels never read binding 4, but a bind group needs every binding of
  // the layout: dY fills it (two read-only bindings may share a buffer).
  const buffers = [dY, argmax, dX, reluOutput ?? dY];
  if (windowsTileInput(g)) {
    dispatchPool(ctx, MAX_POOL2D_BACKWARD_SCATTER, g, poolOutputElements(g), buffers, label, tiledConstants(g, relu));
    return;
  }
  dispatchPool(ctx, MAX_POOL2D_BACKWARD, g, poolInputElements(g), buffers, label, { RELU: relu });
}

export function avgPool2dGpu(ctx: GpuContext, g: Pool2dGeometry, x: GpuTensor, y: GpuTensor, label = 'avg-pool2d'): void {
  requireNoDilation(g);
  dispatchPool(ctx, AVG_POOL2D, g, poolOutputElements(g), [x, y], label);
}

/** One window over the whole unpadded plane (global average pooling). */
export const AVG_POOL2D_BACKWARD_GLOBAL: KernelSpec = { ...AVG_POOL2D_BACKWARD, name: 'avg_pool2d_backward_global', entryPoint: 'mainGlobal' };

export function avgPool2dBackwardGpu(ctx: GpuContext, g: Pool2dGeometry, dY: GpuTensor, dX: GpuTensor, label = 'avg-pool2d-backward'): void {
  requireNoDilation(g);
  const global = g.outHeight === 1 && g.outWidth === 1 && g.padH === 0 && g.padW === 0 && g.kernelH >= g.inHeight && g.kernelW >= g.inWidth;
  dispatchPool(ctx, global ? AVG_POOL2D_BACKWARD_GLOBAL : AVG_POOL2D_BACKWARD, g, poolInputElements(g), [dY, dX], label);
}
