// The validation pass's readback pacing (src/engine/train/passPacer.ts), on fake timers: the
// first pass waits for the guess from the training steps, later ones for what earlier passes
// took per image; a pass that was already done when its map started only says "at most".
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PassPacer } from '../../../src/engine/train/passPacer';

async function resolvesBy(p: Promise<void>, ms: number): Promise<boolean> {
  let settled = false;
  void p.then(() => (settled = true));
  await vi.advanceTimersByTimeAsync(ms);
  return settled;
}

describe('PassPacer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('maps at once with nothing to go on', async () => {
    const p = new PassPacer().submitted(1000, null);
    expect(await resolvesBy(p.ready, 0)).toBe(true);
  });

  it('waits 95 % of the guess first, then of what the last pass took per image', async () => {
    const pacer = new PassPacer();
    const first = pacer.submitted(2000, 400);
    expect(await resolvesBy(first.ready, 379)).toBe(false);
    expect(await resolvesBy(first.ready, 1)).toBe(true);
    await vi.advanceTimersByTimeAsync(220); // the pass took 600 ms: the map waited 220 ms
    first.done();
    // 0.3 ms per image now: 1,000 images are expected after 300 ms.
    const second = pacer.submitted(1000, 400);
    expect(await resolvesBy(second.ready, 284)).toBe(false);
    expect(await resolvesBy(second.ready, 1)).toBe(true);
  });

  it('shrinks its estimate after a pass that was already done when its map started', async () => {
    const pacer = new PassPacer();
    const first = pacer.submitted(1000, 500);
    await vi.advanceTimersByTimeAsync(475);
    first.done(); // resolved the moment the map started: the pass took at most 475 ms
    const second = pacer.submitted(1000, null);
    expect(await resolvesBy(second.ready, 379)).toBe(false); // 0.8 · 500 ms, 5 % early
    expect(await resolvesBy(second.ready, 1)).toBe(true);
  });
});
