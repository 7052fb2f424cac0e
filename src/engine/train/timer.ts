// How the trainer times a step. With timestamp-query every kernel is timed on the GPU; without
// it, only the wall time of the whole step is known, and the metrics say 'coarse'.

import type { GpuContext } from '../webgpu/context';
import { GpuProfiler, type KernelTiming } from '../webgpu/profiler';

export interface StepTimer {
  readonly kind: 'timestamp' | 'coarse';
  beginStep(): void;
  /** Before the step's submit. */
  endStep(): unknown;
  /** After the submit: the timings of that step. */
  collect(handle: unknown): Promise<KernelTiming[]>;
}

/** Fallback: one entry per step, the wall time between beginStep and the step's results. */
export class WallClockTimer implements StepTimer {
  readonly kind = 'coarse' as const;
  private start = 0;

  beginStep(): void {
    this.start = performance.now();
  }
  endStep(): number {
    return this.start;
  }
  async collect(handle: unknown): Promise<KernelTiming[]> {
    const ms = performance.now() - (handle as number);
    return [{ label: 'step|forward|whole step (coarse)', layer: 'step', phase: 'forward', kernel: 'whole step (coarse)', ms }];
  }
}

/** Per-kernel timestamps where the device has timestamp-query, else the coarse fallback. */
export function gpuStepTimer(ctx: GpuContext): StepTimer {
  return GpuProfiler.supported(ctx) ? new GpuProfiler(ctx) : new WallClockTimer();
}
