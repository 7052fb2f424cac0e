// Time recorded GPU work on the device: GPU time from timestamp queries where the adapter has
// them (what the kernels cost, without the CPU's submit overhead), else wall clock around
// submit + onSubmittedWorkDone. One warm-up run first (pipeline creation, first-touch of
// buffers), then the median of `repeats`.
//
// Each wait on the device starts only after most of the expected time has passed on a timer:
// Dawn for Node polls the event loop busily while a wait is pending, and on a software adapter
// that takes a CPU core from the kernels being timed (see train/readbackPacer.ts).

import type { GpuContext } from '../context';
import { GpuProfiler } from '../profiler';
import { median } from './autotuner';

export async function timeGpuWork(ctx: GpuContext, record: () => void, repeats = 3): Promise<number> {
  await ctx.finish();
  record(); // creates the pipelines (synchronously) and records the warm-up run
  const t0 = performance.now();
  await ctx.finish();
  let expectedMs = performance.now() - t0;
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
        await sleep(WAIT_SHARE * expectedMs);
        const timings = pending ? await profiler.collect(pending) : [];
        samples.push(timings.reduce((sum, t) => sum + t.ms, 0));
      } else {
        const t0 = performance.now();
        record();
        ctx.submit();
        await sleep(WAIT_SHARE * expectedMs);
        await ctx.finish();
        samples.push(performance.now() - t0);
      }
      expectedMs = samples[samples.length - 1]!;
    }
  } finally {
    ctx.observer = savedObserver;
  }
  ctx.throwIfBroken();
  return median(samples);
}

/** Start waiting on the device after this share of the expected time. */
const WAIT_SHARE = 0.9;

function sleep(ms: number): Promise<void> {
  return ms >= 1 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
