// Time recorded GPU work on the device: GPU time from timestamp queries where the adapter has
// them (what the kernels cost, without the CPU's submit overhead), else wall clock around
// submit + onSubmittedWorkDone. One warm-up run first (pipeline creation, first-touch of
// buffers), then the median of `repeats`.

import type { GpuContext } from '../context';
import { GpuProfiler } from '../profiler';
import { median } from './autotuner';

export async function timeGpuWork(ctx: GpuContext, record: () => void, repeats = 3): Promise<number> {
  await ctx.finish();
  record();
  await ctx.finish();
  const samples: number[] = [];
  const profiler = GpuProfiler.supported(ctx) ? new GpuProfiler(ctx) : null;
  const savedObserver = ctx.observer;
  try {
    for (let i = 0; i < repeats; i++) {
      if (profiler) {
        profiler.beginStep();
        record();
        const pending = profiler.endStep();
        ctx.submit();
        const timings = pending ? await profiler.collect(pending) : [];
        samples.push(timings.reduce((sum, t) => sum + t.ms, 0));
      } else {
        const t0 = performance.now();
        record();
        await ctx.finish();
        samples.push(performance.now() - t0);
      }
    }
  } finally {
    ctx.observer = savedObserver;
  }
  ctx.throwIfBroken();
  return median(samples);
}
