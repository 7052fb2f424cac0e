// The backend a command computes on: WebGPU through Dawn (tuned kernels cached in the home), or
// the float64 CPU twins. One place, so every command names the adapter the same way.
import { CpuBackend } from '../engine/cpu/cpuBackend';
import type { Backend, ConvAlgorithm } from '../engine/backend';
import { WebGpuBackend } from '../engine/webgpu/webgpuBackend';
import { FileAutotuneStore } from './bench/fileAutotuneStore';
import { createNodeContext } from './nodeGpu';

export interface OpenedBackend {
  be: Backend<unknown>;
  /** The WebGPU backend, when that is what opened. */
  gpu: WebGpuBackend | null;
  /** One line naming the adapter, for stderr. */
  description: string;
}

export async function openBackend(kind: 'webgpu' | 'cpu', home: string, convAlgorithm: ConvAlgorithm = 'auto'): Promise<OpenedBackend> {
  if (kind === 'cpu') return { be: new CpuBackend() as unknown as Backend<unknown>, gpu: null, description: 'backend: float64 CPU twins' };
  const ctx = await createNodeContext();
  const gpu = new WebGpuBackend(ctx, { autotuneStore: FileAutotuneStore.inHome(home), convAlgorithm });
  const a = ctx.adapter;
  const description = `adapter: ${a.vendor} ${a.architecture} ${a.description}${a.isSoftware ? ' (software: slow but correct)' : ''}${a.timestamps ? '' : ' — no timestamp-query: GPU time is coarse (whole step)'}`;
  return { be: gpu as unknown as Backend<unknown>, gpu, description };
}
