// The validation pass's readback pacing (src/engine/train/passPacer.ts), on fake timers: the
// first pass waits for the guess from the training steps, later ones for what earlier passes
// took per image; a pass that was already done when its map started only says "at most".
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_GUESS_MS, PassPacer } from '../../../src/engine/train/passPacer';

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

  it('waits on a guess no longer than MAX_GUESS_MS (a cold first step makes a huge guess), but on what it learnt as long as it takes', async () => {
    const pacer = new PassPacer();
    // A 6.6 s first step scaled to 2,000 images: a 250 s guess for a pass that takes 4 s.
    const first = pacer.submitted(2000, 250_000);
    expect(await resolvesBy(first.ready, 0.95 * MAX_GUESS_MS - 1)).toBe(false);
    expect(await resolvesBy(first.ready, 2)).toBe(true);
    await vi.advanceTimersByTimeAsync(4000 - 0.95 * MAX_GUESS_MS - 1);
    first.done(); // seen running: 2 ms per image
    const second = pacer.submitted(4000, 250_000);
    expect(await resolvesBy(second.ready, 0.95 * 8000 - 1)).toBe(false);
    expect(await resolvesBy(second.ready, 2)).toBe(true);
  });
});
