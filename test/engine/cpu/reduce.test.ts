// sumSquares, fill and scaleAdd CPU twins.

import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';

const be = new CpuBackend();

describe('small reductions and elementwise ops (CPU)', () => {
  it('sumSquares writes Σ x² of the first n elements into one slot only', () => {
    const out = be.zeros(3);
    be.sumSquares(3, Float64Array.of(1, -2, 3, 100), out, 1);
    expect(Array.from(out)).toEqual([0, 14, 0]);
    be.sumSquares(0, Float64Array.of(5), out, 2);
    expect(out[2]).toBe(0);
  });

  it('fill sets the first n elements', () => {
    const x = be.zeros(4);
    be.fill(3, -2.5, x);
    expect(Array.from(x)).toEqual([-2.5, -2.5, -2.5, 0]);
  });

  it('scaleAdd is y += alpha·x', () => {
    const y = Float64Array.of(1, 1, 1);
    be.scaleAdd(3, -0.5, Float64Array.of(2, 4, -6), y);
    expect(Array.from(y)).toEqual([0, -1, 4]);
  });
});
