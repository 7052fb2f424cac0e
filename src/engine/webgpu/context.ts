// GpuContext: one device, its pipelines, buffers and the command encoder of the current step.
//
// Every op records a compute pass into the pending encoder; nothing is submitted until
// submit() or a read. That gives one command buffer per training step and no readback in
// the step loop. Device loss and uncaptured errors are caught here, in one place, and turned
// into errors that say what happened at the next submit or read.

import { BufferPool } from './bufferPool';
import { DeviceLostError, GpuOutOfMemoryError, GpuValidationError } from './errors';
import { type GpuTensor, BufferUsage } from './gpuTensor';
import { type KernelSpec, packUniforms } from './kernelSpec';
import { type OverrideConstants, PipelineCache } from './pipelineCache';
import type { AdapterSummary } from './device';
import type { KernelScope, ReadOptions } from '../backend';

/** Lets a profiler attach timestamp writes to each pass without the ops knowing. */
export interface PassObserver {
  timestampWrites(label: string, scope: KernelScope | null): GPUComputePassTimestampWrites | undefined;
}

export interface DispatchArgs {
  uniforms: Record<string, number>;
  buffers: GpuTensor[];
  workgroups: readonly [number, number, number];
  constants?: OverrideConstants;
  label: string;
}

const UNIFORM_CACHE_LIMIT = 4096;

export class GpuContext {
  readonly pipelines: PipelineCache;
  readonly pool: BufferPool;
  observer: PassObserver | null = null;
  /** Layer and phase of the dispatches being recorded; part of every pass label. */
  scope: KernelScope | null = null;
  dispatchCount = 0;
  submitCount = 0;
  readbackCount = 0;
  /** Whether a pending map keeps a CPU core busy (true for Dawn for Node: set by its creator). */
  busyReadbackWait = false;

  private encoder: GPUCommandEncoder | null = null;
  /** While preparePipelines() runs its recorder: the compiles it started. */
  private preparing: Array<Promise<void>> | null = null;
  private readonly uniformCache = new Map<string, GPUBuffer>();
  private firstError: Error | null = null;
  private lostError: DeviceLostError | null = null;

  /** `keepAlive` holds whatever must outlive the device: Dawn for Node tears its instance
   *  down (and crashes in-flight work) once the object returned by create() is collected. */
  constructor(readonly device: GPUDevice, readonly adapter: AdapterSummary, public keepAlive: unknown = null) {
    this.pipelines = new PipelineCache(device);
    this.pool = new BufferPool(device);
    device.lost.then((info) => {
      // 'destroyed' is our own doing (dispose); anything else is a real loss.
      if (info.reason !== 'destroyed') this.lostError = new DeviceLostError(String(info.reason), info.message);
    });
    device.addEventListener('uncapturederror', (event) => {
      const error = (event as GPUUncapturedErrorEvent).error;
      if (this.firstError) return;
      const isOom = error.constructor?.name === 'GPUOutOfMemoryError' || /out of memory/i.test(error.message);
      this.firstError = isOom
        ? new GpuOutOfMemoryError(`The GPU ran out of memory: ${error.message}`)
        : new GpuValidationError(`WebGPU error: ${error.message}`);
    });
  }

  /** A tensor from the pool, contents undefined. */
  alloc(length: number, label: string): GpuTensor {
    if (this.preparing) return placeholder(length, label);
    const { buffer } = this.pool.acquire(Math.max(1, length) * 4, label);
    return { buffer, length, label };
  }

  upload(data: ArrayLike<number>, label: string): GpuTensor {
    if (this.preparing) return placeholder(data.length, label);
    const f32 = data instanceof Float32Array ? data : Float32Array.from(data);
    const { buffer, recycled } = this.pool.acquire(Math.max(1, f32.length) * 4, label);
    // writeBuffer runs before the pending encoder's commands; a recycled buffer may still be
    // read by them, so send those first.
    if (recycled) this.submit();
    if (f32.length > 0) this.device.queue.writeBuffer(buffer, 0, f32.buffer, f32.byteOffset, f32.byteLength);
    return { buffer, length: f32.length, label };
  }

  release(t: GpuTensor): void {
    if (t.buffer === PLACEHOLDER) return;
    this.pool.release(t.buffer);
  }

  /**
   * Run `record` as if recording ops, but record nothing: each dispatch only starts compiling
   * its pipeline in the background (tensors it allocates are placeholders without a buffer).
   * Resolves once every pipeline `record` would use is compiled, so recording it for real then
   * never stalls on a compile.
   */
  async preparePipelines(record: () => void): Promise<void> {
    const outer = this.preparing;
    const mine: Array<Promise<void>> = [];
    this.preparing = mine;
    try {
      record();
    } finally {
      this.preparing = outer;
    }
    await Promise.all(mine);
  }

  dispatch(spec: KernelSpec, args: DispatchArgs): void {
    if (this.preparing) {
      this.preparing.push(this.pipelines.prepare(spec, args.constants));
      return;
    }
    this.throwIfBroken();
    if (args.buffers.length !== spec.storage.length) {
      throw new Error(`kernel ${spec.name}: ${spec.storage.length} storage buffers expected, got ${args.buffers.length}`);
    }
    const { pipeline, layout } = this.pipelines.get(spec, args.constants);
    const uniform = this.uniformBuffer(spec, args.uniforms);
    const bindGroup = this.device.createBindGroup({
      label: `${args.label}:${spec.name}`,
      layout,
      entries: [
        { binding: 0, resource: { buffer: uniform } },
        ...args.buffers.map((t, i) => ({ binding: i + 1, resource: { buffer: t.buffer } })),
      ],
    });
    this.encoder ??= this.device.createCommandEncoder({ label: 'convlab-step' });
    const label = this.scope ? `${this.scope.layer}|${this.scope.phase}|${args.label}` : args.label;
    const timestampWrites = this.observer?.timestampWrites(label, this.scope);
    const pass = this.encoder.beginComputePass(timestampWrites ? { label, timestampWrites } : { label });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(args.workgroups[0], args.workgroups[1], args.workgroups[2]);
    pass.end();
    this.dispatchCount++;
  }

  /** Record a buffer-to-buffer copy in the pending encoder. */
  copy(src: GpuTensor, dst: GpuTensor, length = src.length, srcOffset = 0, dstOffset = 0): void {
    if (this.preparing) return;
    this.encoder ??= this.device.createCommandEncoder({ label: 'convlab-step' });
    if (length > 0) this.encoder.copyBufferToBuffer(src.buffer, srcOffset * 4, dst.buffer, dstOffset * 4, length * 4);
  }

  /** Give the profiler (or anyone) access to the pending encoder, creating it if needed. */
  pendingEncoder(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder({ label: 'convlab-step' });
    return this.encoder;
  }

  submit(): void {
    this.throwIfBroken();
    if (!this.encoder) return;
    const commands = this.encoder.finish({ label: 'convlab-step-commands' });
    this.encoder = null;
    this.device.queue.submit([commands]);
    this.submitCount++;
    if (this.uniformCache.size > UNIFORM_CACHE_LIMIT) {
      // Submitted work keeps destroyed buffers alive until it completes.
      for (const b of this.uniformCache.values()) b.destroy();
      this.uniformCache.clear();
    }
  }

  /** Copy a tensor back to the CPU: submits pending work and waits for it. With `notBefore`
   *  the work is submitted now but the wait (a mapAsync) starts only once that settles: Dawn for
   *  Node polls the event loop busily while a map is pending (see train/readbackPacer.ts). */
  async read(t: GpuTensor, options: ReadOptions = {}): Promise<Float32Array> {
    const bytes = Math.max(4, t.length * 4);
    const staging = this.device.createBuffer({ label: `${t.label}-readback`, size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    this.pendingEncoder().copyBufferToBuffer(t.buffer, 0, staging, 0, bytes);
    this.submit();
    this.readbackCount++;
    try {
      if (options.notBefore) await options.notBefore;
      await staging.mapAsync(0x0001 /* GPUMapMode.READ */);
    } catch (e) {
      this.throwIfBroken();
      throw e;
    }
    this.throwIfBroken();
    const out = new Float32Array(staging.getMappedRange().slice(0, t.length * 4));
    staging.unmap();
    staging.destroy();
    return out;
  }

  /** Wait for all submitted work, then surface any error it raised. */
  async finish(): Promise<void> {
    this.submit();
    await this.device.queue.onSubmittedWorkDone();
    this.throwIfBroken();
  }

  get lost(): boolean {
    return this.lostError !== null;
  }

  throwIfBroken(): void {
    if (this.lostError) throw this.lostError;
    if (this.firstError) {
      const e = this.firstError;
      this.firstError = null;
      throw e;
    }
  }

  dispose(): void {
    this.pool.trim();
    for (const b of this.uniformCache.values()) b.destroy();
    this.uniformCache.clear();
    this.device.destroy();
    this.keepAlive = null;
  }

  // Uniform buffers keyed by content: a training step uses the same few hundred parameter
  // blocks every time, so each is created once and then only bound.
  private uniformBuffer(spec: KernelSpec, values: Record<string, number>): GPUBuffer {
    const data = packUniforms(spec, values);
    const key = `${spec.name}:${Array.from(new Uint32Array(data)).join(',')}`;
    let buffer = this.uniformCache.get(key);
    if (!buffer) {
      buffer = this.device.createBuffer({ label: `${spec.name}-uniforms`, size: data.byteLength, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
      this.device.queue.writeBuffer(buffer, 0, data);
      this.uniformCache.set(key, buffer);
    }
    return buffer;
  }
}

/** The buffer of a placeholder tensor (preparePipelines): never bound, never pooled. */
const PLACEHOLDER = null as unknown as GPUBuffer;

function placeholder(length: number, label: string): GpuTensor {
  return { buffer: PLACEHOLDER, length, label };
}
