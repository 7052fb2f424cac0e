// The buffer pool on a real device: reuse by size, trim, and the peak the bench reports.

import { beforeAll, describe, expect, it } from 'vitest';
import { BufferPool } from '../../src/engine/webgpu/bufferPool';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await gpuContext();
});

describe('BufferPool', () => {
  it.skipIf(noGpu)('reuses a released buffer of the same size, and measures the peak from a reset', () => {
    requireGpu(ctx);
    const pool = new BufferPool(ctx.device);
    const a = pool.acquire(1000, 'a');
    expect(a.recycled).toBe(false);
    expect(pool.bytesAllocated).toBe(1024); // rounded up to 256-byte buckets
    pool.release(a.buffer);
    const again = pool.acquire(1024, 'again');
    expect(again.recycled).toBe(true);
    expect(again.buffer).toBe(a.buffer);
    const big = pool.acquire(1 << 20, 'big');
    expect(pool.peakBytes).toBe(1024 + (1 << 20));
    pool.release(big.buffer);
    pool.trim(); // destroys the idle 1 MiB buffer
    expect(pool.bytesAllocated).toBe(1024);
    pool.resetPeak();
    expect(pool.peakBytes).toBe(1024);
    pool.acquire(4096, 'small');
    expect(pool.peakBytes).toBe(1024 + 4096);
  });
});
