// The augmented batch gather on the GPU: the kernel spec and dispatch of kernels/augment_batch.wgsl
// (one workgroup per image; CPU twin src/engine/cpu/augmentBatch.ts). The dataset and the indices
// are the byte and u32 tensors of ops/batch.ts; the parameter table is an ordinary f32 tensor.

import source from '../../../../kernels/augment_batch.wgsl?raw';
import { AUGMENT_PARAMS, type GatherBatchOptions } from '../../backend';
import { checkGatherOptions } from '../../cpu/batch';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import type { KernelSpec } from '../kernelSpec';
import { PACKED_BYTES } from '../wgslShared';
import { GATHER_MAX_CHANNELS } from './batch';

const u32 = 'u32' as const;
const f32 = 'f32' as const;

export const AUGMENT_BATCH: KernelSpec = {
  name: 'augment_batch',
  source,
  storage: [
    { name: 'source', access: 'read' }, { name: 'indices', access: 'read' }, { name: 'params', access: 'read' }, { name: 'out', access: 'read_write' },
  ],
  uniforms: [
    ['count', u32], ['groupPitch', u32], ['channels', u32], ['height', u32], ['width', u32],
    ['mean0', f32], ['mean1', f32], ['mean2', f32], ['mean3', f32],
    ['std0', f32], ['std1', f32], ['std2', f32], ['std3', f32],
  ],
  shared: [PACKED_BYTES],
  workgroupSize: [256, 1, 1],
};

const MAX_GROUPS_PER_DIM = 65535;

export function gatherBatchAugmentedGpu(ctx: GpuContext, o: GatherBatchOptions, images: GpuTensor, indices: GpuTensor, params: GpuTensor, out: GpuTensor): void {
  checkGatherOptions(o);
  if (o.channels > GATHER_MAX_CHANNELS) {
    throw new Error(`gatherBatchAugmented on the GPU supports at most ${GATHER_MAX_CHANNELS} channels, got ${o.channels}`);
  }
  if (params.length < o.count * AUGMENT_PARAMS) {
    throw new Error(`gatherBatchAugmented: the parameter table holds ${params.length} numbers, need ${AUGMENT_PARAMS} for each of ${o.count} images`);
  }
  if (o.count === 0 || o.height * o.width === 0) return;
  const x = Math.min(o.count, MAX_GROUPS_PER_DIM);
  const u: Record<string, number> = { count: o.count, groupPitch: x, channels: o.channels, height: o.height, width: o.width };
  for (let c = 0; c < GATHER_MAX_CHANNELS; c++) {
    u[`mean${c}`] = o.mean[c] ?? 0;
    u[`std${c}`] = o.std[c] ?? 1;
  }
  ctx.dispatch(AUGMENT_BATCH, { uniforms: u, buffers: [images, indices, params, out], workgroups: [x, Math.ceil(o.count / x), 1], label: 'augment-batch' });
}
