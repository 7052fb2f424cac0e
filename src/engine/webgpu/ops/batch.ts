// Batch assembly on the GPU: uploading the dataset's bytes and u32 sample indices, and the
// kernel specs and dispatch for kernels/gather_batch.wgsl (entry points images and labels).
//
// Byte and u32 tensors are GpuTensors whose length counts 32-bit words; only the gather
// kernels read them, so reading one back as floats is meaningless.

import source from '../../../../kernels/gather_batch.wgsl?raw';
import type { GatherBatchOptions } from '../../backend';
import { checkGatherOptions } from '../../cpu/batch';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import { type KernelSpec, linearGrid } from '../kernelSpec';
import { PACKED_BYTES } from '../wgslShared';

const u32 = 'u32' as const;
const f32 = 'f32' as const;

const storage = [
  { name: 'source', access: 'read' }, { name: 'indices', access: 'read' }, { name: 'out', access: 'read_write' },
] as const;
const uniforms = [
  ['total', u32], ['rowPitch', u32], ['channels', u32], ['pixels', u32],
  ['mean0', f32], ['mean1', f32], ['mean2', f32], ['mean3', f32],
  ['std0', f32], ['std1', f32], ['std2', f32], ['std3', f32],
] as const;

export const GATHER_IMAGES: KernelSpec = {
  name: 'gather_batch_images', source, entryPoint: 'images', storage, uniforms, shared: [PACKED_BYTES], workgroupSize: [256, 1, 1],
};
export const GATHER_LABELS: KernelSpec = {
  name: 'gather_batch_labels', source, entryPoint: 'labels', storage, uniforms, shared: [PACKED_BYTES], workgroupSize: [256, 1, 1],
};

/** The normalisation constants travel as uniforms, four slots each (grey and RGB(A) images). */
export const GATHER_MAX_CHANNELS = 4;

// Checked before packing, so an oversized dataset fails fast without a second copy in memory.
function checkBindable(ctx: GpuContext, byteLength: number, label: string): void {
  const limit = ctx.device.limits.maxStorageBufferBindingSize;
  if (byteLength > limit) {
    throw new Error(
      `"${label}" is ${byteLength} bytes but this GPU binds at most ${limit} bytes per buffer; ` +
        'use a smaller dataset or image size, or train with --backend cpu',
    );
  }
}

function uploadWords(ctx: GpuContext, words: Uint32Array, label: string): GpuTensor {
  const { buffer, recycled } = ctx.pool.acquire(Math.max(1, words.length) * 4, label);
  // As in GpuContext.upload: writeBuffer runs before the pending encoder, which may still read
  // a recycled buffer's old contents.
  if (recycled) ctx.submit();
  if (words.length > 0) ctx.device.queue.writeBuffer(buffer, 0, words.buffer, words.byteOffset, words.byteLength);
  return { buffer, length: words.length, label };
}

export function uploadBytesGpu(ctx: GpuContext, bytes: Uint8Array, label: string): GpuTensor {
  checkBindable(ctx, Math.ceil(bytes.length / 4) * 4, label);
  // Whole words, little-endian (WebGPU's byte order), zero-padded at the end.
  const words = new Uint32Array(Math.ceil(bytes.length / 4));
  new Uint8Array(words.buffer).set(bytes);
  return uploadWords(ctx, words, label);
}

export function uploadU32Gpu(ctx: GpuContext, values: Uint32Array, label: string): GpuTensor {
  checkBindable(ctx, values.byteLength, label);
  return uploadWords(ctx, values, label);
}

export function gatherBatchGpu(ctx: GpuContext, o: GatherBatchOptions, images: GpuTensor, indices: GpuTensor, out: GpuTensor): void {
  checkGatherOptions(o);
  if (o.channels > GATHER_MAX_CHANNELS) {
    throw new Error(`gatherBatch on the GPU supports at most ${GATHER_MAX_CHANNELS} channels, got ${o.channels}`);
  }
  const pixels = o.height * o.width;
  const total = o.count * o.channels * pixels;
  if (total === 0) return;
  const { workgroups, rowPitch } = linearGrid(total, 256);
  const u: Record<string, number> = { total, rowPitch, channels: o.channels, pixels };
  for (let c = 0; c < GATHER_MAX_CHANNELS; c++) {
    u[`mean${c}`] = o.mean[c] ?? 0;
    u[`std${c}`] = o.std[c] ?? 1;
  }
  ctx.dispatch(GATHER_IMAGES, { uniforms: u, buffers: [images, indices, out], workgroups, label: 'gather-batch' });
}

export function gatherLabelsGpu(ctx: GpuContext, count: number, labels: GpuTensor, indices: GpuTensor, out: GpuTensor): void {
  if (count === 0) return;
  const { workgroups, rowPitch } = linearGrid(count, 256);
  const u: Record<string, number> = { total: count, rowPitch, channels: 1, pixels: 1 };
  for (let c = 0; c < GATHER_MAX_CHANNELS; c++) {
    u[`mean${c}`] = 0;
    u[`std${c}`] = 1;
  }
  ctx.dispatch(GATHER_LABELS, { uniforms: u, buffers: [labels, indices, out], workgroups, label: 'gather-labels' });
}
