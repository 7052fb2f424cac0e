// GPU timing from timestamp queries, without serialising the GPU.
//
// Every compute pass of a step gets a begin/end timestamp pair from one query set. At the end of
// the step the query set is resolved and copied to a staging buffer inside the same command
// buffer; the staging buffer is mapped after the step's single submit and read whenever it is
// ready. No extra submit per kernel, no wait in the step loop.

import type { KernelScope, Phase } from '../backend';
import type { GpuContext, PassObserver } from './context';
import { BufferUsage } from './gpuTensor';

export interface KernelTiming {
  /** Full pass label: "layer|phase|kernel". */
  label: string;
  layer: string;
  phase: Phase | 'unscoped';
  kernel: string;
  ms: number;
}

const MAX_QUERIES = 4096;

interface PendingStep {
  staging: GPUBuffer;
  passes: Array<{ label: string; scope: KernelScope | null }>;
}

export class GpuProfiler implements PassObserver {
  readonly kind = 'timestamp' as const;
  private querySet: GPUQuerySet;
  private resolveBuffer: GPUBuffer;
  private capacity: number;
  private passes: Array<{ label: string; scope: KernelScope | null }> = [];
  private readonly idleStaging: GPUBuffer[] = [];
  /** Passes beyond the query set's capacity in the last step (they ran, untimed). */
  dropped = 0;
  /** The last step outgrew the query set: grow before the next one (not while the step that
   *  uses the old query set is still being recorded — it has not been submitted). */
  private growBeforeNext = false;

  constructor(private readonly ctx: GpuContext, initialPasses = 128) {
    this.capacity = Math.min(MAX_QUERIES, initialPasses * 2);
    this.querySet = this.makeQuerySet(this.capacity);
    this.resolveBuffer = this.makeResolveBuffer(this.capacity);
  }

  static supported(ctx: GpuContext): boolean {
    return ctx.adapter.timestamps;
  }

  timestampWrites(label: string, scope: KernelScope | null): GPUComputePassTimestampWrites | undefined {
    const i = this.passes.length;
    if ((i + 1) * 2 > this.capacity) {
      this.dropped++;
      return undefined;
    }
    this.passes.push({ label, scope });
    return { querySet: this.querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
  }

  beginStep(): void {
    if (this.growBeforeNext) {
      this.growBeforeNext = false;
      this.grow();
    }
    this.passes = [];
    this.dropped = 0;
    this.ctx.observer = this;
  }

  /** Record the resolve into the pending encoder. Call before the step's submit; then call
   *  collect() on the result after it. */
  endStep(): PendingStep | null {
    this.ctx.observer = null;
    const count = this.passes.length * 2;
    if (this.dropped > 0 && this.capacity < MAX_QUERIES) this.growBeforeNext = true;
    if (count === 0) return null;
    const staging = this.idleStaging.pop() ?? this.ctx.device.createBuffer({
      label: 'profiler-staging', size: this.capacity * 8, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    const encoder = this.ctx.pendingEncoder();
    encoder.resolveQuerySet(this.querySet, 0, count, this.resolveBuffer, 0);
    encoder.copyBufferToBuffer(this.resolveBuffer, 0, staging, 0, count * 8);
    return { staging, passes: this.passes };
  }

  /** Map the staging buffer (after the submit) and turn timestamps into milliseconds. */
  async collect(pending: PendingStep): Promise<KernelTiming[]> {
    await pending.staging.mapAsync(0x0001 /* GPUMapMode.READ */, 0, pending.passes.length * 16);
    const stamps = new BigUint64Array(pending.staging.getMappedRange(0, pending.passes.length * 16).slice(0));
    pending.staging.unmap();
    if (pending.staging.size >= this.capacity * 8) this.idleStaging.push(pending.staging);
    else pending.staging.destroy();
    return pending.passes.map((p, i) => {
      const begin = stamps[2 * i]!;
      const end = stamps[2 * i + 1]!;
      const [layer, phase, kernel] = p.scope ? [p.scope.layer, p.scope.phase, p.label.split('|').pop()!] : ['', 'unscoped' as const, p.label];
      // Some implementations report 0 or out-of-order stamps for passes they merge: count 0.
      const ms = end > begin ? Number(end - begin) / 1e6 : 0;
      return { label: p.label, layer, phase, kernel, ms };
    });
  }

  private grow(): void {
    this.capacity = Math.min(MAX_QUERIES, this.capacity * 2);
    // Called between steps: the old objects are referenced by submitted work only, which
    // destroy() lets finish.
    this.querySet.destroy();
    this.resolveBuffer.destroy();
    for (const b of this.idleStaging.splice(0)) b.destroy();
    this.querySet = this.makeQuerySet(this.capacity);
    this.resolveBuffer = this.makeResolveBuffer(this.capacity);
  }

  private makeQuerySet(count: number): GPUQuerySet {
    return this.ctx.device.createQuerySet({ label: 'profiler-timestamps', type: 'timestamp', count });
  }

  private makeResolveBuffer(count: number): GPUBuffer {
    return this.ctx.device.createBuffer({ label: 'profiler-resolve', size: count * 8, usage: BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC });
  }
}
