// Reuse GPU buffers by size. Training asks for the same sizes every step, so after the first
// step no buffer is created or destroyed.
//
// Reusing a released buffer inside the same command encoder is safe: the GPU runs commands in
// order, so the new contents are written after the last command that read the old ones.
// (queue.writeBuffer is the exception — it runs before the encoder's commands — which is why
// the context submits pending work before an upload into a recycled buffer.)

import { STORAGE_USAGE } from './gpuTensor';

const ALIGN = 256;

/** Bytes in use per category at the moment the most was in use (see BufferPool.account). */
export interface InUsePeak {
  bytes: number;
  byCategory: Record<string, number>;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private liveBytes = 0;
  private peak = 0;
  /** Accounting of buffers in use (not idle in the pool) by category, when asked for. */
  private accounting: {
    classify: (label: string) => string;
    inUse: Map<GPUBuffer, string>;
    byCategory: Map<string, number>;
    bytes: number;
    peak: InUsePeak;
  } | null = null;

  constructor(private readonly device: GPUDevice) {}

  /** Bucket size: exact sizes are common, so only round up to the 256-byte alignment. */
  static bucket(byteLength: number): number {
    return Math.max(ALIGN, Math.ceil(byteLength / ALIGN) * ALIGN);
  }

  acquire(byteLength: number, label: string): { buffer: GPUBuffer; recycled: boolean } {
    const size = BufferPool.bucket(byteLength);
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused) {
      reused.label = label;
      this.take(reused, label);
      return { buffer: reused, recycled: true };
    }
    const buffer = this.device.createBuffer({ label, size, usage: STORAGE_USAGE });
    this.liveBytes += size;
    this.peak = Math.max(this.peak, this.liveBytes);
    this.take(buffer, label);
    return { buffer, recycled: false };
  }

  release(buffer: GPUBuffer): void {
    const size = buffer.size;
    this.give(buffer);
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(buffer);
  }

  /** Destroy every idle buffer (e.g. after a batch-size change). */
  trim(): void {
    for (const list of this.free.values()) {
      for (const b of list) {
        this.liveBytes -= b.size;
        b.destroy();
      }
    }
    this.free.clear();
  }

  /** Start a new peak measurement from what is allocated now (trim() first to drop idle
   *  buffers left by earlier work). */
  resetPeak(): void {
    this.peak = this.liveBytes;
  }

  /**
   * From now on, count the bytes of buffers handed out (and not yet released) per category —
   * `classify` names it from the buffer's label — and keep their split at the moment the most
   * was in use: what a benchmark reports as parameters, activations and scratch. Buffers handed
   * out before this call are not counted.
   */
  account(classify: (label: string) => string): void {
    this.accounting = { classify, inUse: new Map(), byCategory: new Map(), bytes: 0, peak: { bytes: 0, byCategory: {} } };
  }

  /** The split at the in-use peak since account() (null when not accounting). */
  get inUsePeak(): InUsePeak | null {
    return this.accounting ? { bytes: this.accounting.peak.bytes, byCategory: { ...this.accounting.peak.byCategory } } : null;
  }

  private take(buffer: GPUBuffer, label: string): void {
    const a = this.accounting;
    if (!a) return;
    const category = a.classify(label);
    a.inUse.set(buffer, category);
    a.byCategory.set(category, (a.byCategory.get(category) ?? 0) + buffer.size);
    a.bytes += buffer.size;
    if (a.bytes > a.peak.bytes) a.peak = { bytes: a.bytes, byCategory: Object.fromEntries(a.byCategory) };
  }

  private give(buffer: GPUBuffer): void {
    const a = this.accounting;
    const category = a?.inUse.get(buffer);
    if (!a || category === undefined) return;
    a.inUse.delete(buffer);
    a.byCategory.set(category, a.byCategory.get(category)! - buffer.size);
    a.bytes -= buffer.size;
  }

  get bytesAllocated(): number {
    return this.liveBytes;
  }

  get peakBytes(): number {
    return this.peak;
  }
}
