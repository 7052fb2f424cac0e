import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { directConvForward } from '../../../src/engine/cpu/directConv';
import { conv2dGeometry, inputElements, outputElements, weightElements, ConvShapeError } from '../../../src/engine/conv/geometry';
import { gradInputGemm, gradWeightGemm, forwardGemm } from '../../../src/engine/conv/gemmPlan';
import { CONV_CONFIGS } from '../../helpers/convConfigs';
import { maxAbsDiff, randomArray } from '../../helpers/random';

const be = new CpuBackend();

// loss = Σ output ⊙ gradOutput, so ∂loss/∂x is exactly what the backward pass returns.
function lossOf(cfg: (typeof CONV_CONFIGS)[number], x: Float64Array, w: Float64Array, b: Float64Array | null, dOut: Float64Array): number {
  const g = conv2dGeometry(cfg.input, cfg.weight, cfg.options);
  const out = be.alloc(outputElements(g));
  be.conv2dForward(g, x, w, b, out);
  let s = 0;
  for (let i = 0; i < out.length; i++) s += out[i]! * dOut[i]!;
  return s;
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

describe('CPU conv twins', () => {
  for (const cfg of CONV_CONFIGS) {
    describe(cfg.name, () => {
      const g = conv2dGeometry(cfg.input, cfg.weight, cfg.options);
      const x = randomArray(inputElements(g), 1);
      const w = randomArray(weightElements(g), 2, 0.5);
      const b = cfg.bias ? randomArray(g.outChannels, 3) : null;
      const dOut = randomArray(outputElements(g), 4);

      it('im2col + GEMM forward equals the direct definition', () => {
        const out = be.alloc(outputElements(g));
        be.conv2dForward(g, x, w, b, out);
        expect(maxAbsDiff(out, directConvForward(g, x, w, b))).toBeLessThan(1e-12);
      });

      it('grad-input, grad-weight, grad-bias match central finite differences', () => {
        const dInput = be.alloc(inputElements(g));
        be.conv2dBackwardInput(g, dOut, w, dInput);
        const dWeight = be.alloc(weightElements(g));
        be.conv2dBackwardWeight(g, x, dOut, dWeight, false);
        const dBias = be.alloc(g.outChannels);
        be.conv2dBackwardBias(g, dOut, dBias, false);

        const probe = (n: number) => Array.from({ length: Math.min(n, 12) }, (_, i) => Math.floor((i * n) / Math.min(n, 12)));
        for (const i of probe(x.length)) {
          expect(dInput[i]).toBeCloseTo(centralDifference((v) => lossOf(cfg, v, w, b, dOut), x, i), 6);
        }
        for (const i of probe(w.length)) {
          expect(dWeight[i]).toBeCloseTo(centralDifference((v) => lossOf(cfg, x, v, b, dOut), w, i), 6);
        }
        if (b) {
          for (const i of probe(b.length)) {
            expect(dBias[i]).toBeCloseTo(centralDifference((v) => lossOf(cfg, x, w, v, dOut), b, i), 6);
          }
        }
      });

      it('grad-weight and grad-bias accumulate when asked (accGradParameters)', () => {
        const dWeight = randomArray(weightElements(g), 9);
        const before = Float64Array.from(dWeight);
        const fresh = be.alloc(weightElements(g));
        be.conv2dBackwardWeight(g, x, dOut, fresh, false);
        be.conv2dBackwardWeight(g, x, dOut, dWeight, true);
        expect(maxAbsDiff(dWeight, before.map((v, i) => v + fresh[i]!))).toBeLessThan(1e-12);
      });
    });
  }
});

describe('the worked example of the original write-up', () => {
  const g = conv2dGeometry([1, 3, 9, 9], [10, 3, 3, 3], { stride: 3 });
  it('has a 27×9 column matrix and a grad-input GEMM with m=27, n=9, k=10', () => {
    expect([g.outHeight, g.outWidth]).toEqual([3, 3]);
    const gi = gradInputGemm(g);
    expect({ m: gi.m, n: gi.n, k: gi.k, transA: gi.transA, transB: gi.transB }).toEqual({ m: 27, n: 9, k: 10, transA: true, transB: false });
    const fw = forwardGemm(g);
    expect({ m: fw.m, n: fw.n, k: fw.k }).toEqual({ m: 10, n: 9, k: 27 });
    const gw = gradWeightGemm(g, true);
    expect({ m: gw.m, n: gw.n, k: gw.k, transB: gw.transB, beta: gw.beta }).toEqual({ m: 10, n: 27, k: 9, transB: true, beta: 1 });
  });
});

describe('geometry errors', () => {
  it('names the problem', () => {
    expect(() => conv2dGeometry([1, 3, 5, 5], [4, 2, 3, 3], { groups: 1 })).toThrow(ConvShapeError);
    expect(() => conv2dGeometry([1, 4, 5, 5], [3, 2, 3, 3], { groups: 2 })).toThrow(/out_channels \(3\) must be divisible by groups \(2\)/);
    expect(() => conv2dGeometry([1, 1, 5, 5], [1, 1, 3, 3], { padding: 'same', stride: 2 })).toThrow(/'same'/);
    expect(() => conv2dGeometry([1, 1, 2, 2], [1, 1, 3, 3])).toThrow(/larger than the padded input/);
  });
  it("splits 'same' padding for even kernels as PyTorch does (extra on the bottom/right)", () => {
    const g = conv2dGeometry([1, 1, 5, 6], [1, 1, 4, 2], { padding: 'same' });
    expect([g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual([1, 2, 0, 1]);
    expect([g.outHeight, g.outWidth]).toEqual([5, 6]);
  });
});
