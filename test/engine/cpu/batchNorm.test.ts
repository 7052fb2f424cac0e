// BatchNorm2d CPU twins: backward against central finite differences, everything against
// PyTorch (test/fixtures/engine/batch_norm.json, from scripts/fixtures/make_optim_bn_fixtures.py).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BatchNormGeometry } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { maxAbsDiff, randomArray } from '../../helpers/random';

const be = new CpuBackend();

interface Tensor { shape: number[]; data: number[] }
interface BnCase {
  name: string;
  shape: [number, number, number, number];
  eps: number;
  momentum: number;
  inputs: Record<'x1' | 'x2' | 'gamma' | 'beta' | 'runningMean0' | 'runningVar0' | 'dY', Tensor>;
  expected: Record<'y1' | 'saveMean' | 'saveInvStd' | 'dX' | 'dGamma' | 'dBeta' | 'runningMean' | 'runningVar' | 'yEval', Tensor>;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/engine/batch_norm.json'), 'utf8')) as { cases: BnCase[] };
const f64 = (t: Tensor): Float64Array => Float64Array.from(t.data);

function trainOutput(g: BatchNormGeometry, x: Float64Array, gamma: Float64Array, beta: Float64Array): Float64Array {
  const y = be.alloc(x.length);
  be.batchNorm2dTrain(g, 1e-5, 0.1, x, gamma, beta, y, be.alloc(g.channels), be.alloc(g.channels), be.zeros(g.channels), be.zeros(g.channels));
  return y;
}

function centralDifference(f: (v: Float64Array) => number, v: Float64Array, index: number, h = 1e-6): number {
  const saved = v[index]!;
  v[index] = saved + h;
  const up = f(v);
  v[index] = saved - h;
  const down = f(v);
  v[index] = saved;
  return (up - down) / (2 * h);
}

describe('batchNorm2d CPU twins against PyTorch', () => {
  expect(fixture.cases.length).toBeGreaterThan(0);
  for (const c of fixture.cases) {
    it(c.name, () => {
      const [n, ch, h, w] = c.shape;
      const g = { batch: n, channels: ch, pixels: h * w };
      const { inputs: i, expected: e } = c;
      const rm = f64(i.runningMean0), rv = f64(i.runningVar0);
      const y1 = be.alloc(n * ch * h * w), mean = be.alloc(ch), invStd = be.alloc(ch);
      be.batchNorm2dTrain(g, c.eps, c.momentum, f64(i.x1), f64(i.gamma), f64(i.beta), y1, mean, invStd, rm, rv);
      expect(maxAbsDiff(y1, e.y1.data)).toBeLessThan(1e-9);
      expect(maxAbsDiff(mean, e.saveMean.data)).toBeLessThan(1e-12);
      expect(maxAbsDiff(invStd, e.saveInvStd.data)).toBeLessThan(1e-9);

      const dX = be.alloc(y1.length), dGamma = be.alloc(ch), dBeta = be.alloc(ch);
      be.batchNorm2dBackward(g, f64(i.x1), f64(i.dY), f64(i.gamma), mean, invStd, dX, dGamma, dBeta, false);
      expect(maxAbsDiff(dX, e.dX.data)).toBeLessThan(1e-9);
      expect(maxAbsDiff(dGamma, e.dGamma.data)).toBeLessThan(1e-9);
      expect(maxAbsDiff(dBeta, e.dBeta.data)).toBeLessThan(1e-9);

      const y2 = be.alloc(y1.length);
      be.batchNorm2dTrain(g, c.eps, c.momentum, f64(i.x2), f64(i.gamma), f64(i.beta), y2, mean, invStd, rm, rv);
      expect(maxAbsDiff(rm, e.runningMean.data)).toBeLessThan(1e-12);
      expect(maxAbsDiff(rv, e.runningVar.data)).toBeLessThan(1e-12);

      const yEval = be.alloc(y1.length);
      be.batchNorm2dEval(g, c.eps, f64(i.x1), f64(i.gamma), f64(i.beta), rm, rv, yEval);
      expect(maxAbsDiff(yEval, e.yEval.data)).toBeLessThan(1e-9);
    });
  }
});

describe('batchNorm2d backward', () => {
  const g = { batch: 3, channels: 2, pixels: 5 };
  const x = randomArray(30, 1, 2);
  const gamma = randomArray(2, 2).map((v) => v + 1.5);
  const beta = randomArray(2, 3);
  const dY = randomArray(30, 4);
  // loss = Σ y ⊙ dY, so ∂loss/∂x is exactly what backward returns.
  const loss = (xv: Float64Array, gv: Float64Array, bv: Float64Array): number => {
    const y = trainOutput(g, xv, gv, bv);
    return y.reduce((s, v, k) => s + v * dY[k]!, 0);
  };

  function backward(accumulateInto?: [Float64Array, Float64Array]) {
    const mean = be.alloc(2), invStd = be.alloc(2);
    be.batchNorm2dTrain(g, 1e-5, 0.1, x, gamma, beta, be.alloc(30), mean, invStd, be.zeros(2), be.zeros(2));
    const dX = be.alloc(30);
    const [dGamma, dBeta] = accumulateInto ?? [be.alloc(2), be.alloc(2)];
    be.batchNorm2dBackward(g, x, dY, gamma, mean, invStd, dX, dGamma, dBeta, accumulateInto !== undefined);
    return { dX, dGamma, dBeta };
  }

  it('matches central finite differences for x, gamma and beta', () => {
    const { dX, dGamma, dBeta } = backward();
    for (let k = 0; k < x.length; k++) expect(dX[k]).toBeCloseTo(centralDifference((v) => loss(v, gamma, beta), x, k), 6);
    for (let k = 0; k < 2; k++) {
      expect(dGamma[k]).toBeCloseTo(centralDifference((v) => loss(x, v, beta), gamma, k), 6);
      expect(dBeta[k]).toBeCloseTo(centralDifference((v) => loss(x, gamma, v), beta, k), 6);
    }
  });

  it('accumulates dGamma and dBeta but overwrites dX with this batch alone', () => {
    const fresh = backward();
    const acc = backward([Float64Array.of(10, 20), Float64Array.of(-1, 3)]);
    expect(maxAbsDiff(acc.dGamma, [10 + fresh.dGamma[0]!, 20 + fresh.dGamma[1]!])).toBeLessThan(1e-12);
    expect(maxAbsDiff(acc.dBeta, [-1 + fresh.dBeta[0]!, 3 + fresh.dBeta[1]!])).toBeLessThan(1e-12);
    expect(maxAbsDiff(acc.dX, fresh.dX)).toBe(0);
  });

  it('refuses to train on one value per channel, as PyTorch does', () => {
    expect(() => trainOutput({ batch: 1, channels: 2, pixels: 1 }, be.zeros(2), be.zeros(2), be.zeros(2))).toThrow(/more than 1 value per channel/);
  });
});
