// Linear as three GEMM plans: against the definition y[n,o] = Σ_i x[n,i]·W[o,i] and its
// gradients, and accumulation of dW.

import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { linearForwardGemm, linearGradInputGemm, linearGradWeightGemm } from '../../../src/engine/linear/gemmPlan';
import { maxAbsDiff, randomArray } from '../../helpers/random';

const be = new CpuBackend();
const N = 3, IN = 5, OUT = 4;
const x = randomArray(N * IN, 1), w = randomArray(OUT * IN, 2), dY = randomArray(N * OUT, 3);

describe('Linear GEMM plans (CPU)', () => {
  it('forward, grad-input and grad-weight equal the definitions', () => {
    const y = be.alloc(N * OUT), dX = be.alloc(N * IN), dW = be.alloc(OUT * IN);
    be.gemm(linearForwardGemm(N, IN, OUT), x, w, y);
    be.gemm(linearGradInputGemm(N, IN, OUT), dY, w, dX);
    be.gemm(linearGradWeightGemm(N, IN, OUT, false), dY, x, dW);
    const wantY = new Float64Array(N * OUT), wantDx = new Float64Array(N * IN), wantDw = new Float64Array(OUT * IN);
    for (let n = 0; n < N; n++) {
      for (let o = 0; o < OUT; o++) {
        for (let i = 0; i < IN; i++) {
          wantY[n * OUT + o] += x[n * IN + i]! * w[o * IN + i]!;
          wantDx[n * IN + i] += dY[n * OUT + o]! * w[o * IN + i]!;
          wantDw[o * IN + i] += dY[n * OUT + o]! * x[n * IN + i]!;
        }
      }
    }
    expect(maxAbsDiff(y, wantY)).toBeLessThan(1e-14);
    expect(maxAbsDiff(dX, wantDx)).toBeLessThan(1e-14);
    expect(maxAbsDiff(dW, wantDw)).toBeLessThan(1e-14);
  });

  it('grad-weight accumulates when asked', () => {
    const fresh = be.alloc(OUT * IN);
    be.gemm(linearGradWeightGemm(N, IN, OUT, false), dY, x, fresh);
    const acc = randomArray(OUT * IN, 4);
    const before = Float64Array.from(acc);
    be.gemm(linearGradWeightGemm(N, IN, OUT, true), dY, x, acc);
    expect(maxAbsDiff(acc, before.map((v, k) => v + fresh[k]!))).toBeLessThan(1e-14);
  });
});
