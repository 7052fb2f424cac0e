// Conv2d's non-zero padding modes on the GPU: kernel specs and dispatch for kernels/pad2d.wgsl
// and kernels/pad2d_backward.wgsl (see conv/paddingMode.ts for why a conv pads in front).

import padSource from '../../../../kernels/pad2d.wgsl?raw';
import padBackwardSource from '../../../../kernels/pad2d_backward.wgsl?raw';
import type { Pad2dGeometry, PaddingMode } from '../../backend';
import { paddedElements, paddedHeight, paddedWidth, unpaddedElements } from '../../conv/paddingMode';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import { type KernelSpec, linearGrid } from '../kernelSpec';
import { PAD_PARAMS } from '../wgslShared';

const u32 = 'u32' as const;
/** common/pad_params.wgsl */
export const PAD_UNIFORMS = [
  ['total', u32], ['rowPitch', u32], ['height', u32], ['width', u32],
  ['top', u32], ['bottom', u32], ['left', u32], ['right', u32],
  ['outHeight', u32], ['outWidth', u32],
] as const;

/** The kernels' MODE override constant. */
const MODE: Record<PaddingMode, number> = { reflect: 0, replicate: 1, circular: 2 };

export const PAD2D: KernelSpec = {
  name: 'pad2d', source: padSource, shared: [PAD_PARAMS],
  storage: [{ name: 'x', access: 'read' }, { name: 'y', access: 'read_write' }],
  uniforms: PAD_UNIFORMS, workgroupSize: [256, 1, 1],
};

export const PAD2D_BACKWARD: KernelSpec = {
  name: 'pad2d_backward', source: padBackwardSource, shared: [PAD_PARAMS],
  storage: [{ name: 'dY', access: 'read' }, { name: 'dX', access: 'read_write' }],
  uniforms: PAD_UNIFORMS, workgroupSize: [256, 1, 1],
};

function dispatch(ctx: GpuContext, spec: KernelSpec, g: Pad2dGeometry, total: number, buffers: GpuTensor[], label: string): void {
  if (total === 0) return;
  const { workgroups, rowPitch } = linearGrid(total, 256);
  ctx.dispatch(spec, {
    constants: { MODE: MODE[g.mode] },
    uniforms: {
      total, rowPitch, height: g.height, width: g.width, top: g.top, bottom: g.bottom, left: g.left, right: g.right,
      outHeight: paddedHeight(g), outWidth: paddedWidth(g),
    },
    buffers, workgroups, label,
  });
}

export function pad2dGpu(ctx: GpuContext, g: Pad2dGeometry, x: GpuTensor, y: GpuTensor): void {
  dispatch(ctx, PAD2D, g, paddedElements(g), [x, y], `pad2d-${g.mode}`);
}

export function pad2dBackwardGpu(ctx: GpuContext, g: Pad2dGeometry, dY: GpuTensor, dX: GpuTensor): void {
  dispatch(ctx, PAD2D_BACKWARD, g, unpaddedElements(g), [dY, dX], `pad2d-${g.mode}-backward`);
}
