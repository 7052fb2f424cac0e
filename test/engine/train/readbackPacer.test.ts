import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReadbackPacer } from '../../../src/engine/train/readbackPacer';

// A fake device: steps take `stepMs` each, one after another, from their submit. The pacer is
// driven with fake timers (performance.now included), so every time below is exact.
async function resolvesBy(p: Promise<void>, ms: number): Promise<boolean> {
  let settled = false;
  void p.then(() => (settled = true));
  await vi.advanceTimersByTimeAsync(ms);
  return settled;
}

describe('ReadbackPacer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for nothing until it has seen a step take time', async () => {
    const pacer = new ReadbackPacer();
    const first = pacer.submitted();
    expect(await resolvesBy(first.ready, 0)).toBe(true);
    expect(pacer.estimateMs).toBeNull();
  });

  it('learns the step time from a wait that saw the step finish, then waits about that long after the previous step', async () => {
    const pacer = new ReadbackPacer();
    const a = pacer.submitted();
    const b = pacer.submitted(); // queued behind a
    expect(await resolvesBy(a.ready, 200)).toBe(true); // a takes 200 ms on the device
    a.done();
    expect(pacer.estimateMs).toBeCloseTo(200, 5);
    // b runs after a, so it is expected 200 ms after a was done; the wait ends 5 % early.
    expect(await resolvesBy(b.ready, 189)).toBe(false);
    expect(await resolvesBy(b.ready, 2)).toBe(true);
    await vi.advanceTimersByTimeAsync(9 + 30); // b took 230 ms
    b.done();
    expect(pacer.estimateMs).toBeCloseTo(200 + 0.3 * 30, 5);
  });

  it('tries a shorter estimate after arriving late, and follows a longer step when it sees one', async () => {
    const pacer = new ReadbackPacer();
    const a = pacer.submitted();
    await vi.advanceTimersByTimeAsync(100);
    a.done();
    const b = pacer.submitted();
    await vi.advanceTimersByTimeAsync(100);
    b.done();
    expect(pacer.estimateMs).toBeCloseTo(100, 5);

    // The device finished c before the wait ended: the wait proves only "done by then".
    const c = pacer.submitted();
    expect(await resolvesBy(c.ready, 95)).toBe(true);
    c.done();
    expect(pacer.estimateMs!).toBeCloseTo(90, 5);

    // d takes 300 ms: the wait started early and saw it finish, so the estimate moves toward 300.
    const d = pacer.submitted();
    expect(await resolvesBy(d.ready, 0.95 * 90)).toBe(true);
    await vi.advanceTimersByTimeAsync(300 - 0.95 * 90);
    d.done();
    expect(pacer.estimateMs!).toBeCloseTo(90 + 0.3 * 210, 5);
  });

  it('does not hold later steps back when a step is abandoned (an error, a stop)', async () => {
    const pacer = new ReadbackPacer();
    const a = pacer.submitted();
    const b = pacer.submitted();
    a.done();
    a.done(); // harmless twice
    expect(await resolvesBy(b.ready, 0)).toBe(true);
  });
});
