// Softmax cross-entropy on the GPU: kernel specs and dispatch for kernels/cross_entropy.wgsl
// (a per-row pass, then a mean over the rows, so the loss needs no atomics).

import source from '../../../../kernels/cross_entropy.wgsl?raw';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import type { KernelSpec } from '../kernelSpec';

const storage = [
  { name: 'logits', access: 'read' }, { name: 'targets', access: 'read' }, { name: 'rowStats', access: 'read_write' },
  { name: 'dLogits', access: 'read_write' }, { name: 'loss', access: 'read_write' }, { name: 'correct', access: 'read_write' },
] as const;
const uniforms = [['n', 'u32'], ['classes', 'u32'], ['smoothing', 'f32']] as const;

export const CROSS_ENTROPY_ROWS: KernelSpec = {
  name: 'cross_entropy_rows', source, entryPoint: 'rows', storage, uniforms, workgroupSize: [64, 1, 1],
};
export const CROSS_ENTROPY_ROW_PER_LANE: KernelSpec = {
  name: 'cross_entropy_row_per_lane', source, entryPoint: 'rowPerLane', storage, uniforms, workgroupSize: [64, 1, 1],
};
export const CROSS_ENTROPY_FINISH: KernelSpec = {
  name: 'cross_entropy_finish', source, entryPoint: 'finish', storage, uniforms, workgroupSize: [64, 1, 1],
};
export const CROSS_ENTROPY_FINISH_SERIAL: KernelSpec = {
  name: 'cross_entropy_finish_serial', source, entryPoint: 'finishSerial', storage, uniforms, workgroupSize: [1, 1, 1],
};

/** Up to this many classes a row is one lane's serial loop: on SwiftShader the workgroup per
 *  row with its barriers took 5.6 ms for 64 × 10 logits, one lane per row about 0.1 ms. */
export const ROW_PER_LANE_MAX_CLASSES = 64;
/** Up to this many rows one lane sums the row losses: half the time of the barrier tree on
 *  SwiftShader, and still only a few hundred serial loads on a real GPU. */
export const SERIAL_FINISH_MAX_ROWS = 256;
const MAX_GROUPS = 65535; // per dispatch dimension, in x only

export function crossEntropyGpu(
  ctx: GpuContext, n: number, classes: number, logits: GpuTensor, targets: GpuTensor,
  loss: GpuTensor, dLogits: GpuTensor, correct: GpuTensor, labelSmoothing = 0,
): void {
  if (n < 1 || classes < 1) throw new Error(`cross-entropy needs at least one row and one class, got n=${n}, classes=${classes}`);
  const rowPerLane = classes <= ROW_PER_LANE_MAX_CLASSES;
  const rowsPerGroup = rowPerLane ? 64 : 1;
  const maxRows = MAX_GROUPS * rowsPerGroup;
  if (n > maxRows) throw new Error(`cross-entropy on the GPU takes at most ${maxRows} rows of ${classes} classes per call, got ${n}; split the batch`);
  const rowStats = ctx.alloc(2 * n, 'cross-entropy-row-stats');
  const buffers = [logits, targets, rowStats, dLogits, loss, correct];
  ctx.dispatch(rowPerLane ? CROSS_ENTROPY_ROW_PER_LANE : CROSS_ENTROPY_ROWS, {
    uniforms: { n, classes, smoothing: labelSmoothing }, buffers, workgroups: [Math.ceil(n / rowsPerGroup), 1, 1], label: 'cross-entropy-rows',
  });
  ctx.dispatch(n <= SERIAL_FINISH_MAX_ROWS ? CROSS_ENTROPY_FINISH_SERIAL : CROSS_ENTROPY_FINISH, {
    uniforms: { n, classes, smoothing: labelSmoothing }, buffers, workgroups: [1, 1, 1], label: 'cross-entropy-mean',
  });
  ctx.release(rowStats);
}
