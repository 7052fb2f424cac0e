import { describe, it, expect } from 'vitest';
import { Random } from '../../src/shared/random';

/** mulberry32 written independently of the class (the published one-liner form), to pin the stream. */
function referenceMulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

describe('Random (mulberry32)', () => {
  it('matches the reference mulberry32 stream for several seeds', () => {
    for (const seed of [0, 1, 42, 0xdeadbeef, -5]) {
      const ref = referenceMulberry32(seed);
      const r = new Random(seed);
      for (let i = 0; i < 1000; i++) expect(r.nextUint32()).toBe(ref());
    }
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = new Random(123);
    const b = new Random(123);
    const c = new Random(124);
    const sa = Array.from({ length: 20 }, () => a.nextFloat());
    const sb = Array.from({ length: 20 }, () => b.nextFloat());
    const sc = Array.from({ length: 20 }, () => c.nextFloat());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('nextFloat stays in [0, 1) and nextInt in [0, n) with roughly uniform counts', () => {
    const r = new Random(9);
    const counts = new Array(7).fill(0);
    let outOfRange = 0;
    for (let i = 0; i < 70000; i++) {
      const f = r.nextFloat();
      if (!(f >= 0 && f < 1)) outOfRange++;
      counts[r.nextInt(7)]++;
    }
    expect(outOfRange).toBe(0);
    // Expected 10,000 each; the standard deviation is ~93, so ±500 fails only on a real bias.
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
  });

  it('nextInt(1) is always 0 and bad n is refused', () => {
    const r = new Random(3);
    for (let i = 0; i < 10; i++) expect(r.nextInt(1)).toBe(0);
    expect(() => r.nextInt(0)).toThrow(/1 ≤ n ≤ 2\^32/);
    expect(() => r.nextInt(2.5)).toThrow(/got 2.5/);
  });

  it('refuses non-integer seeds', () => {
    expect(() => new Random(0.5)).toThrow(/seed must be an integer/);
    expect(() => new Random(Number.NaN)).toThrow(/seed must be an integer/);
  });

  it('shuffle returns a permutation, works on typed arrays, and is seed-deterministic', () => {
    const a = new Random(5).shuffle(Array.from({ length: 100 }, (_, i) => i));
    const b = new Random(5).shuffle(Uint32Array.from({ length: 100 }, (_, i) => i));
    expect([...b]).toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('shuffle puts every element in every position about equally often', () => {
    const r = new Random(11);
    const firstCounts = [0, 0, 0, 0];
    for (let i = 0; i < 40000; i++) firstCounts[r.shuffle([0, 1, 2, 3])[0]]++;
    for (const c of firstCounts) expect(Math.abs(c - 10000)).toBeLessThan(400);
  });
});
