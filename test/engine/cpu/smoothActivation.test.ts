// Sigmoid, tanh, GELU and SiLU CPU twins: backward against central finite differences (of the
// twin's own forward), erf against PyTorch's torch.erf (float64), special values as in PyTorch.

import { describe, expect, it } from 'vitest';
import { SMOOTH_ACTIVATIONS, type SmoothActivation, savesOutput } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { erf, erfc } from '../../../src/engine/cpu/erf';
import { maxAbsDiff, randomArray } from '../../helpers/random';

const be = new CpuBackend();
const n = 97;

function forward(kind: SmoothActivation, x: Float64Array): Float64Array {
  const y = be.alloc(x.length);
  be.activation(kind, x.length, x, y);
  return y;
}

describe.each(SMOOTH_ACTIVATIONS)('%s', (kind) => {
  it('backward matches central finite differences (reading what PyTorch reads)', () => {
    const x = randomArray(n, 11, 5);
    const dY = randomArray(n, 12);
    const y = forward(kind, x);
    const dX = be.alloc(n);
    be.activationBackward(kind, n, savesOutput(kind) ? y : x, dY, dX);
    const h = 1e-6;
    const numeric = x.map((v, i) => {
      const up = forward(kind, Float64Array.of(v + h))[0]!;
      const down = forward(kind, Float64Array.of(v - h))[0]!;
      return ((up - down) / (2 * h)) * dY[i]!;
    });
    expect(maxAbsDiff(dX, numeric)).toBeLessThan(1e-8);
  });

  it('propagates NaN and keeps −0 where PyTorch does', () => {
    const y = forward(kind, Float64Array.of(Number.NaN, -0, 0));
    expect(Number.isNaN(y[0])).toBe(true);
    if (kind === 'tanh' || kind === 'gelu' || kind === 'silu') expect(Object.is(y[1], -0)).toBe(true);
    if (kind === 'sigmoid') expect(Array.from(y.subarray(1))).toEqual([0.5, 0.5]);
  });
});

describe('special values (torch, float64)', () => {
  const x = Float64Array.of(-Infinity, Infinity, -40, 40);
  it.each([
    ['sigmoid', [0, 1, 4.248354255291589e-18, 1]],
    ['tanh', [-1, 1, -1, 1]],
    ['gelu', [Number.NaN, Infinity, -0, 40]],
    ['silu', [Number.NaN, Infinity, -1.6993417021166355e-16, 40]],
  ] as const)('%s', (kind, want) => {
    const y = forward(kind, x);
    want.forEach((w, i) => {
      if (Number.isNaN(w)) expect(Number.isNaN(y[i])).toBe(true);
      else if (w === 0 || !Number.isFinite(w)) expect(y[i]).toBe(w);
      else expect(Math.abs(y[i]! - w)).toBeLessThanOrEqual(1e-15 * Math.abs(w));
    });
  });
});

describe('erf', () => {
  // torch.erf / torch.erfc of these float64 values (printed with repr).
  const TORCH: Array<[number, number, number]> = [
    [0, 0, 1],
    [1e-8, 1.1283791670955126e-08, 0.9999999887162083],
    [0.1, 0.1124629160182849, 0.887537083981715],
    [0.5, 0.5204998778130465, 0.4795001221869535],
    [1, 0.8427007929497149, 0.15729920705028513],
    [2, 0.9953222650189527, 0.004677734981047265],
    [2.9, 0.9999589021219005, 4.109787809945886e-05],
    [3, 0.9999779095030014, 2.209049699858544e-05],
    [4.5, 0.9999999998033839, 1.9661604415428876e-10],
    [6, 1, 2.1519736712498913e-17],
    [10, 1, 2.088487583762545e-45],
    [-2, -0.9953222650189527, 1.9953222650189528],
    [-3.5, -0.9999992569016276, 1.9999992569016276],
  ];
  // erf to a few ulps; erfc relative to its own (possibly tiny) size: 1e-12 where it is 1 − erf
  // (z < 2, a cancellation of ~1e-16 absolute), far better from 2 on (the continued fraction).
  it.each(TORCH)('erf(%s) and erfc match torch', (z, wantErf, wantErfc) => {
    expect(Math.abs(erf(z) - wantErf)).toBeLessThanOrEqual(1e-15 * Math.max(Math.abs(wantErf), 1e-8));
    expect(Math.abs(erfc(z) - wantErfc)).toBeLessThanOrEqual((z >= 2 ? 1e-14 : 1e-12) * wantErfc);
  });
  it('is odd and bounded', () => {
    for (const z of randomArray(200, 5, 8)) {
      expect(erf(-z)).toBe(-erf(z));
      expect(Math.abs(erf(z))).toBeLessThanOrEqual(1);
    }
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(Number.isNaN(erf(Number.NaN))).toBe(true);
  });
});
