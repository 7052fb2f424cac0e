// Batching of metrics on their way to lab.runs.appendMetrics: timing, order, size caps, failures.
import { describe, expect, it } from 'vitest';
import { MetricsBatcher } from '../../../src/renderer/src/worker/metricsBatcher';

/** A hand-driven timer: fire() runs the pending callback, as if the interval had passed. */
function manualTimer() {
  let pending: (() => void) | null = null;
  let armed = 0;
  return {
    setTimer: (fn: () => void) => {
      pending = fn;
      armed++;
      return armed;
    },
    clearTimer: () => void (pending = null),
    fire: () => {
      const fn = pending;
      pending = null;
      fn?.();
    },
    get armed() {
      return pending !== null;
    },
  };
}

describe('MetricsBatcher', () => {
  it('holds records until the interval passes, then sends them as one batch', async () => {
    const sent: number[][] = [];
    const t = manualTimer();
    const b = new MetricsBatcher<number>(async (batch) => void sent.push(batch), { setTimer: t.setTimer, clearTimer: t.clearTimer });
    b.push(1);
    b.push(2, 3);
    expect(sent).toEqual([]);
    expect(b.size).toBe(3);
    t.fire();
    await b.flush();
    expect(sent).toEqual([[1, 2, 3]]);
    expect(t.armed).toBe(false);
  });

  it('sends at once when a batch is full, in slices of at most maxBatch', async () => {
    const sent: number[][] = [];
    const t = manualTimer();
    const b = new MetricsBatcher<number>(async (batch) => void sent.push(batch), { maxBatch: 2, setTimer: t.setTimer, clearTimer: t.clearTimer });
    b.push(1, 2, 3, 4, 5);
    await Promise.resolve();
    await b.flush();
    expect(sent).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('keeps sends sequential, so records reach the store in order even when sends are slow', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const t = manualTimer();
    const b = new MetricsBatcher<number>(
      async (batch) => {
        log.push(`start ${batch.join(',')}`);
        if (batch[0] === 1) await gate;
        log.push(`end ${batch.join(',')}`);
      },
      { setTimer: t.setTimer, clearTimer: t.clearTimer },
    );
    b.push(1);
    t.fire();
    b.push(2);
    const flushed = b.flush();
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(['start 1']);
    release();
    await flushed;
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('flush resolves only after everything pushed before it is sent; close refuses later pushes', async () => {
    const sent: number[] = [];
    const b = new MetricsBatcher<number>(async (batch) => {
      await new Promise((r) => setTimeout(r, 1));
      sent.push(...batch);
    }, { intervalMs: 10_000 });
    b.push(1, 2);
    await b.close();
    expect(sent).toEqual([1, 2]);
    expect(() => b.push(3)).toThrow(/after close/);
  });

  it('stops at the first failed send and reports it from flush', async () => {
    const sent: number[][] = [];
    const t = manualTimer();
    const b = new MetricsBatcher<number>(
      async (batch) => {
        if (batch.includes(2)) throw new Error('disk full');
        sent.push(batch);
      },
      { setTimer: t.setTimer, clearTimer: t.clearTimer },
    );
    b.push(1);
    t.fire();
    b.push(2);
    t.fire();
    b.push(3);
    await expect(b.flush()).rejects.toThrow('disk full');
    expect(sent).toEqual([[1]]);
    expect(b.error?.message).toBe('disk full');
    b.push(4);
    expect(b.size).toBe(0);
  });

  it('uses real timers by default', async () => {
    const sent: number[][] = [];
    const b = new MetricsBatcher<number>(async (batch) => void sent.push(batch), { intervalMs: 5 });
    b.push(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(sent).toEqual([[1]]);
  });
});
