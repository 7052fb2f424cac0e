// Softmax cross-entropy on the GPU: kernel specs and dispatch for kernels/cross_entropy.wgsl
// (two entry points: per-row work, then a one-workgroup mean, so the loss needs no atomics).

import source from '../../../../kernels/cross_entropy.wgsl?raw';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import type { KernelSpec } from '../kernelSpec';

const storage = [
  { name: 'logits', access: 'read' }, { name: 'targets', access: 'read' }, { name: 'rowStats', access: 'read_write' },
  { name: 'dLogits', access: 'read_write' }, { name: 'loss', access: 'read_write' }, { name: 'correct', access: 'read_write' },
] as const;
const uniforms = [['n', 'u32'], ['classes', 'u32']] as const;

export const CROSS_ENTROPY_ROWS: KernelSpec = {
  name: 'cross_entropy_rows', source, entryPoint: 'rows', storage, uniforms, workgroupSize: [64, 1, 1],
};
export const CROSS_ENTROPY_FINISH: KernelSpec = {
  name: 'cross_entropy_finish', source, entryPoint: 'finish', storage, uniforms, workgroupSize: [64, 1, 1],
};

const MAX_ROWS = 65535; // one workgroup per row, in x only

export function crossEntropyGpu(
  ctx: GpuContext, n: number, classes: number, logits: GpuTensor, targets: GpuTensor,
  loss: GpuTensor, dLogits: GpuTensor, correct: GpuTensor,
): void {
  if (n < 1 || classes < 1) throw new Error(`cross-entropy needs at least one row and one class, got n=${n}, classes=${classes}`);
  if (n > MAX_ROWS) throw new Error(`cross-entropy on the GPU takes at most ${MAX_ROWS} rows per call, got ${n}; split the batch`);
  const rowStats = ctx.alloc(2 * n, 'cross-entropy-row-stats');
  const buffers = [logits, targets, rowStats, dLogits, loss, correct];
  ctx.dispatch(CROSS_ENTROPY_ROWS, { uniforms: { n, classes }, buffers, workgroups: [n, 1, 1], label: 'cross-entropy-rows' });
  ctx.dispatch(CROSS_ENTROPY_FINISH, { uniforms: { n, classes }, buffers, workgroups: [1, 1, 1], label: 'cross-entropy-mean' });
  ctx.release(rowStats);
}
