import { describe, it, expect } from 'vitest';
import { indicesWithFlag, stratifiedSplit } from '../../../../src/main/services/datasets/stratifiedSplit';

/** Unbalanced labels: class 0 × 500, class 1 × 120, class 2 × 7, class 3 × 1. */
function labels(): Uint8Array {
  const out: number[] = [];
  const sizes = [500, 120, 7, 1];
  // Interleave so that classes are not in contiguous blocks.
  for (let round = 0; out.length < 628; round++) sizes.forEach((n, c) => round < n && out.push(c));
  return Uint8Array.from(out);
}

describe('stratifiedSplit', () => {
  it('gives every class round(n × valFraction) validation images', () => {
    const l = labels();
    const flags = stratifiedSplit(l, 4, 0.2, 42);
    const valPerClass = [0, 0, 0, 0];
    l.forEach((c, i) => (valPerClass[c] += flags[i]));
    expect(valPerClass).toEqual([100, 24, 1, 0]); // 7 × 0.2 = 1.4 → 1; a lone image stays in train
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const l = labels();
    const a = stratifiedSplit(l, 4, 0.25, 7);
    expect(stratifiedSplit(l, 4, 0.25, 7)).toEqual(a);
    expect(stratifiedSplit(l, 4, 0.25, 8)).not.toEqual(a);
  });

  it('keeps at least one training image per class even at high fractions', () => {
    const l = Uint8Array.from([0, 0, 1, 1]);
    const flags = stratifiedSplit(l, 2, 0.9, 1);
    expect([...flags].filter((f) => f === 1).length).toBe(2);
    expect(flags[0] + flags[1]).toBe(1);
  });

  it('valFraction 0 puts everything in train', () => {
    expect([...stratifiedSplit(labels(), 4, 0, 3)].every((f) => f === 0)).toBe(true);
  });

  it('refuses bad fractions and out-of-range labels', () => {
    expect(() => stratifiedSplit(labels(), 4, 1, 1)).toThrow(/below 1/);
    expect(() => stratifiedSplit(labels(), 4, -0.1, 1)).toThrow(/at least 0/);
    expect(() => stratifiedSplit(Uint8Array.from([0, 5]), 2, 0.1, 1)).toThrow(/Label 5 at index 1 is outside the 2 classes/);
  });

  it('indicesWithFlag lists indices in order', () => {
    const flags = Uint8Array.from([0, 1, 1, 0, 1]);
    expect([...indicesWithFlag(flags, 1)]).toEqual([1, 2, 4]);
    expect([...indicesWithFlag(flags, 0)]).toEqual([0, 3]);
  });
});
