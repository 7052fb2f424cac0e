import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { maxAbsDiff, randomArray } from '../../helpers/random';

const be = new CpuBackend();
const n = 97;

// loss = Σ f(x) ⊙ dY, so ∂loss/∂x is exactly what the backward pass returns.
function numericGrad(f: (x: Float64Array) => Float64Array, x: Float64Array, dY: Float64Array, h = 1e-6): Float64Array {
  const out = new Float64Array(x.length);
  const loss = (v: Float64Array) => f(v).reduce((s, y, i) => s + y * dY[i]!, 0);
  for (let i = 0; i < x.length; i++) {
    const saved = x[i]!;
    x[i] = saved + h;
    const up = loss(x);
    x[i] = saved - h;
    const down = loss(x);
    x[i] = saved;
    out[i] = (up - down) / (2 * h);
  }
  return out;
}

// Keep inputs away from the kink at 0, where the derivative is undefined.
function awayFromZero(length: number, seed: number): Float64Array {
  return randomArray(length, seed).map((v) => (Math.abs(v) < 1e-3 ? v + Math.sign(v || 1) * 0.01 : v));
}

describe('relu', () => {
  it('zeroes negatives, keeps positives, propagates NaN and keeps −0 (clamp_min semantics)', () => {
    const x = Float64Array.of(-2, -0.5, 0, 0.25, 3, Number.NaN, -0);
    const y = be.alloc(x.length);
    be.relu(x.length, x, y);
    expect(Array.from(y)).toEqual([0, 0, 0, 0.25, 3, Number.NaN, -0]);
    expect(Object.is(y[6], -0)).toBe(true);
  });

  it('backward matches central finite differences', () => {
    const x = awayFromZero(n, 1);
    const dY = randomArray(n, 2);
    const y = be.alloc(n);
    be.relu(n, x, y);
    const dX = be.alloc(n);
    be.reluBackward(n, y, dY, dX);
    const numeric = numericGrad((v) => { const o = be.alloc(n); be.relu(n, v, o); return o; }, x, dY);
    expect(maxAbsDiff(dX, numeric)).toBeLessThan(1e-8);
    expect(dX.some((v) => v === 0)).toBe(true);
  });

  it('backward reads the output, so an in-place forward still gives the right gradient', () => {
    const x = awayFromZero(n, 3);
    const dY = randomArray(n, 4);
    const expected = dY.map((g, i) => (x[i]! > 0 ? g : 0));
    be.relu(n, x, x); // in place: x now holds y
    const dX = be.alloc(n);
    be.reluBackward(n, x, dY, dX);
    expect(Array.from(dX)).toEqual(Array.from(expected));
  });

  it('touches only the first n elements', () => {
    const x = Float64Array.of(-1, 2, -3);
    const y = Float64Array.of(9, 9, 9);
    be.relu(2, x, y);
    expect(Array.from(y)).toEqual([0, 2, 9]);
  });
});

describe('leaky relu', () => {
  const slope = 0.1;

  it('scales negatives by the slope and propagates NaN', () => {
    const x = Float64Array.of(-2, 0, 0.5, Number.NaN);
    const y = be.alloc(x.length);
    be.leakyRelu(x.length, slope, x, y);
    expect(y[0]).toBeCloseTo(-0.2, 15);
    expect(Array.from(y.subarray(1))).toEqual([0, 0.5, Number.NaN]);
  });

  it('backward matches central finite differences', () => {
    const x = awayFromZero(n, 5);
    const dY = randomArray(n, 6);
    const dX = be.alloc(n);
    be.leakyReluBackward(n, slope, x, dY, dX);
    const numeric = numericGrad((v) => { const o = be.alloc(n); be.leakyRelu(n, slope, v, o); return o; }, x, dY);
    expect(maxAbsDiff(dX, numeric)).toBeLessThan(1e-8);
  });

  it('slope 0 is relu', () => {
    const x = randomArray(n, 7);
    const [a, b] = [be.alloc(n), be.alloc(n)];
    be.leakyRelu(n, 0, x, a);
    be.relu(n, x, b);
    expect(maxAbsDiff(a, b)).toBe(0);
  });
});
