import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { dropThreshold, dropoutDraw, pcgHash } from '../../../src/engine/cpu/dropout';
import { randomArray } from '../../helpers/random';

const be = new CpuBackend();

function run(n: number, p: number, seed: number, x = randomArray(n, 5)) {
  const y = be.alloc(n);
  const mask = be.alloc(n);
  be.dropout(n, p, seed, x, y, mask);
  return { x, y, mask };
}

describe('the counter-based hash', () => {
  it('is the published pcg_hash of Jarzynski & Olano, bit for bit', () => {
    // uint32 arithmetic of the published pcg_hash, evaluated independently with BigInt.
    const reference = (v: number): number => {
      const M = 0xffffffffn;
      const state = (BigInt(v) * 747796405n + 2891336453n) & M;
      const word = (((state >> ((state >> 28n) + 4n)) ^ state) * 277803737n) & M;
      return Number((word >> 22n) ^ word);
    };
    for (const v of [0, 1, 2, 12345, 0x7fffffff, 0x80000000, 0xffffffff, 2891336453]) expect(pcgHash(v)).toBe(reference(v));
  });

  it('gives a roughly uniform draw: mean ≈ 2³¹ and each of 16 buckets ≈ 1/16', () => {
    const n = 1 << 16;
    const buckets = new Array<number>(16).fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const d = dropoutDraw(7, i);
      sum += d;
      buckets[d >>> 28]!++;
    }
    expect(sum / n / 2 ** 32).toBeCloseTo(0.5, 2);
    for (const b of buckets) expect(Math.abs(b / n - 1 / 16)).toBeLessThan(0.005);
  });
});

describe('dropout CPU twin', () => {
  it('keeps a fraction ≈ 1 − p and scales kept values by 1/(1 − p)', () => {
    const n = 50_000;
    for (const p of [0.1, 0.5, 0.8]) {
      const { x, y, mask } = run(n, p, 123);
      let kept = 0;
      for (let i = 0; i < n; i++) {
        if (mask[i] !== 0) {
          kept++;
          expect(mask[i]).toBe(1 / (1 - p));
        }
        expect(y[i]).toBe(x[i]! * mask[i]!);
      }
      // binomial std is sqrt(p(1−p)/n) ≤ 0.0023; 5 sigma.
      expect(Math.abs(kept / n - (1 - p))).toBeLessThan(0.012);
    }
  });

  it('p = 0 copies and p = 1 zeroes', () => {
    const a = run(1000, 0, 9);
    expect(Array.from(a.y)).toEqual(Array.from(a.x));
    expect(a.mask.every((m) => m === 1)).toBe(true);
    const b = run(1000, 1, 9);
    expect(b.y.every((v) => v === 0)).toBe(true);
    expect(b.mask.every((m) => m === 0)).toBe(true);
  });

  it('is deterministic in the seed, and different seeds give different masks', () => {
    const first = run(4096, 0.5, 42).mask;
    expect(Array.from(run(4096, 0.5, 42).mask)).toEqual(Array.from(first));
    const other = run(4096, 0.5, 43).mask;
    let differ = 0;
    for (let i = 0; i < first.length; i++) if ((first[i] === 0) !== (other[i] === 0)) differ++;
    // Independent masks at p = 0.5 disagree on about half the elements.
    expect(differ / first.length).toBeGreaterThan(0.4);
  });

  it('the drop threshold is floor(p·2³²), capped below 2³²', () => {
    expect(dropThreshold(0)).toBe(0);
    expect(dropThreshold(0.5)).toBe(2 ** 31);
    expect(dropThreshold(1)).toBe(0xffffffff);
  });

  it('backward multiplies by the mask (the gradient of y = x · mask)', () => {
    const n = 300;
    const { mask } = run(n, 0.3, 77);
    const dY = randomArray(n, 6);
    const dX = be.alloc(n);
    be.dropoutBackward(n, dY, mask, dX);
    for (let i = 0; i < n; i++) expect(dX[i]).toBe(dY[i]! * mask[i]!);
  });

  it('rejects a p outside [0, 1] and a seed that is not a u32', () => {
    expect(() => run(4, 1.5, 1)).toThrow(/between 0 and 1, but got 1.5/);
    expect(() => run(4, Number.NaN, 1)).toThrow(/between 0 and 1/);
    expect(() => run(4, 0.5, -1)).toThrow(/seed must be an integer in \[0, 2\^32\)/);
    expect(() => run(4, 0.5, 2 ** 32)).toThrow(/seed/);
  });
});
