// A step with more passes than the profiler's query set holds (a ResNet-20 step has hundreds):
// the extra passes run untimed, the query set grows before the next step — never while the step
// that uses the old one is still unsubmitted — and from then on every pass is timed.
import { beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { fillGpu } from '../../src/engine/webgpu/ops/reduce';
import { GpuProfiler } from '../../src/engine/webgpu/profiler';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await gpuContext();
});
const timestamps = (await gpuContext())?.adapter.timestamps ?? false;

describe('GpuProfiler', () => {
  it.skipIf(noGpu || !timestamps)('grows between steps when a step outgrows its query set', async () => {
    requireGpu(ctx);
    const c = ctx;
    const profiler = new GpuProfiler(c, 16);
    const t = c.alloc(64, 'profiler-growth');
    const step = async (passes: number) => {
      profiler.beginStep();
      for (let i = 0; i < passes; i++) fillGpu(c, 64, i, t);
      const pending = profiler.endStep();
      c.submit();
      const timings = pending ? await profiler.collect(pending) : [];
      await c.finish(); // surfaces a validation error of the submit, if any
      return { timed: timings.length, dropped: profiler.dropped };
    };
    expect(await step(40)).toEqual({ timed: 16, dropped: 24 });
    expect(await step(40)).toEqual({ timed: 32, dropped: 8 });
    expect(await step(40)).toEqual({ timed: 40, dropped: 0 });
    c.release(t);
  });
});
