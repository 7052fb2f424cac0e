// Reuse GPU buffers by size. Training asks for the same sizes every step, so after the first
// step no buffer is created or destroyed.
//
// Reusing a released buffer inside the same command encoder is safe: the GPU runs commands in
// order, so the new contents are written after the last command that read the old ones.
// (queue.writeBuffer is the exception — it runs before the encoder's commands — which is why
// the context submits pending work before an upload into a recycled buffer.)

import { STORAGE_USAGE } from './gpuTensor';

const ALIGN = 256;

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private liveBytes = 0;
  private peak = 0;

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
      return { buffer: reused, recycled: true };
    }
    const buffer = this.device.createBuffer({ label, size, usage: STORAGE_USAGE });
    this.liveBytes += size;
    this.peak = Math.max(this.peak, this.liveBytes);
    return { buffer, recycled: false };
  }

  release(buffer: GPUBuffer): void {
    const size = buffer.size;
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

  get bytesAllocated(): number {
    return this.liveBytes;
  }

  get peakBytes(): number {
    return this.peak;
  }
}
