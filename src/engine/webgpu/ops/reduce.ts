// Reductions and elementwise helpers on the GPU: kernel specs and dispatch for
// kernels/sum_squares.wgsl (two entry points), kernels/fill.wgsl and kernels/axpy.wgsl.

import sumSquaresSource from '../../../../kernels/sum_squares.wgsl?raw';
import fillSource from '../../../../kernels/fill.wgsl?raw';
import axpySource from '../../../../kernels/axpy.wgsl?raw';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import { type KernelSpec, linearGrid } from '../kernelSpec';

const u32 = 'u32' as const;
const f32 = 'f32' as const;

const sumSquaresStorage = [
  { name: 'x', access: 'read' }, { name: 'partials', access: 'read_write' }, { name: 'out', access: 'read_write' },
] as const;
const sumSquaresUniforms = [['n', u32], ['groups', u32], ['outIndex', u32]] as const;

export const SUM_SQUARES_PARTIAL: KernelSpec = {
  name: 'sum_squares_partial', source: sumSquaresSource, entryPoint: 'partial',
  storage: sumSquaresStorage, uniforms: sumSquaresUniforms, workgroupSize: [256, 1, 1],
};
export const SUM_SQUARES_FINISH: KernelSpec = {
  name: 'sum_squares_finish', source: sumSquaresSource, entryPoint: 'finish',
  storage: sumSquaresStorage, uniforms: sumSquaresUniforms, workgroupSize: [256, 1, 1],
};

export const FILL: KernelSpec = {
  name: 'fill',
  source: fillSource,
  storage: [{ name: 'x', access: 'read_write' }],
  uniforms: [['total', u32], ['rowPitch', u32], ['value', f32]],
  workgroupSize: [256, 1, 1],
};

export const AXPY: KernelSpec = {
  name: 'axpy',
  source: axpySource,
  storage: [{ name: 'x', access: 'read' }, { name: 'y', access: 'read_write' }],
  uniforms: [['total', u32], ['rowPitch', u32], ['alpha', f32]],
  workgroupSize: [256, 1, 1],
};

export const AXPY_VEC4: KernelSpec = { ...AXPY, name: 'axpy_vec4', entryPoint: 'main4' };

/** The finish pass reads one partial per invocation of its single 256-wide workgroup. */
export const SUM_SQUARES_MAX_GROUPS = 256;

/** Elements per first-level workgroup (64 per lane). Small tensors — every parameter of a
 *  small CNN — then take one workgroup and one pass: on a software adapter each extra workgroup
 *  and barrier costs far more than the arithmetic. */
export const SUM_SQUARES_PER_GROUP = 16_384;

/** Workgroups of the first level: a function of n alone, so the summation order never varies. */
export function sumSquaresGroups(n: number): number {
  return Math.max(1, Math.min(SUM_SQUARES_MAX_GROUPS, Math.ceil(n / SUM_SQUARES_PER_GROUP)));
}

export function sumSquaresGpu(ctx: GpuContext, n: number, x: GpuTensor, out: GpuTensor, outIndex: number): void {
  if (!Number.isInteger(outIndex) || outIndex < 0 || outIndex >= out.length) {
    throw new Error(`sumSquares: outIndex ${outIndex} is outside the ${out.length}-element output "${out.label}"`);
  }
  const groups = sumSquaresGroups(n);
  const partials = ctx.alloc(groups, 'sum-squares-partials');
  const args = { uniforms: { n, groups, outIndex }, buffers: [x, partials, out], label: 'sum-squares' };
  ctx.dispatch(SUM_SQUARES_PARTIAL, { ...args, workgroups: [groups, 1, 1] });
  // One group already wrote out[outIndex] itself.
  if (groups > 1) ctx.dispatch(SUM_SQUARES_FINISH, { ...args, workgroups: [1, 1, 1] });
  ctx.release(partials);
}

export function fillGpu(ctx: GpuContext, n: number, value: number, x: GpuTensor): void {
  if (n === 0) return;
  const { workgroups, rowPitch } = linearGrid(n, 256);
  ctx.dispatch(FILL, { uniforms: { total: n, rowPitch, value }, buffers: [x], workgroups, label: 'fill' });
}

export function scaleAddGpu(ctx: GpuContext, n: number, alpha: number, x: GpuTensor, y: GpuTensor): void {
  if (n === 0) return;
  const vec4 = n % 4 === 0;
  const total = vec4 ? n / 4 : n;
  const { workgroups, rowPitch } = linearGrid(total, 256);
  ctx.dispatch(vec4 ? AXPY_VEC4 : AXPY, { uniforms: { total, rowPitch, alpha }, buffers: [x, y], workgroups, label: 'scale-add' });
}
