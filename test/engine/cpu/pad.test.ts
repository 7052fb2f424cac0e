// pad2d (Conv2d's reflect / replicate / circular padding) CPU twin: the border rules on a row a
// reader can check by eye, PyTorch's limits, and the backward as the exact adjoint and against
// finite differences.

import { describe, expect, it } from 'vitest';
import type { Pad2dGeometry, PaddingMode } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { conv2dGeometry } from '../../../src/engine/conv/geometry';
import { PADDING_MODES, padSource, paddedElements, splitPaddedConv } from '../../../src/engine/conv/paddingMode';
import { maxAbsDiff, randomArray } from '../../helpers/random';

const be = new CpuBackend();
const geometry = (mode: PaddingMode, h: number, w: number, [top, bottom, left, right]: number[], planes = 1): Pad2dGeometry =>
  ({ mode, planes, height: h, width: w, top: top!, bottom: bottom!, left: left!, right: right! });

describe('pad2d', () => {
  it.each([
    ['reflect', [3, 2, 1, 2, 3, 2, 1]],
    ['replicate', [1, 1, 1, 2, 3, 3, 3]],
    ['circular', [2, 3, 1, 2, 3, 1, 2]],
  ] as const)('%s pads the row 1 2 3 by two on each side as F.pad does', (mode, want) => {
    const y = be.alloc(7);
    be.pad2d(geometry(mode, 1, 3, [0, 0, 2, 2]), Float64Array.of(1, 2, 3), y);
    expect(Array.from(y)).toEqual(want);
  });

  it('pads rows and columns independently (a corner copies the corner it mirrors)', () => {
    const y = be.alloc(16);
    be.pad2d(geometry('reflect', 2, 2, [1, 1, 1, 1]), Float64Array.of(1, 2, 3, 4), y);
    expect(Array.from(y)).toEqual([4, 3, 4, 3, 2, 1, 2, 1, 4, 3, 4, 3, 2, 1, 2, 1]);
  });

  it("refuses PyTorch's impossible paddings with the rule in the message", () => {
    const g = conv2dGeometry([1, 1, 3, 3], [1, 1, 3, 3], { padding: 3 });
    expect(() => splitPaddedConv(g, 'reflect')).toThrow("padding_mode 'reflect' needs padding < the input height (3), got 3");
    expect(() => splitPaddedConv(g, 'circular')).not.toThrow();
    expect(() => splitPaddedConv(conv2dGeometry([1, 1, 3, 3], [1, 1, 3, 3], { padding: 4 }), 'circular')).toThrow(/wrap around more than once/);
    expect(() => splitPaddedConv(conv2dGeometry([1, 1, 2, 2], [1, 1, 3, 3], { padding: 5 }), 'replicate')).not.toThrow();
  });

  it('a padded conv is a zero-padding conv of the padded input, output size unchanged', () => {
    const g = conv2dGeometry([2, 3, 5, 6], [4, 3, 2, 3], { padding: 'same' });
    const { pad, conv } = splitPaddedConv(g, 'circular');
    expect([pad.top, pad.bottom, pad.left, pad.right]).toEqual([0, 1, 1, 1]);
    expect([conv.inHeight, conv.inWidth, conv.padTop, conv.padLeft, conv.padBottom, conv.padRight]).toEqual([6, 8, 0, 0, 0, 0]);
    expect([conv.outHeight, conv.outWidth]).toEqual([g.outHeight, g.outWidth]);
  });

  describe.each(PADDING_MODES)('%s backward', (mode) => {
    const g = geometry(mode, 3, 4, [2, 1, 3, 2], 2);
    const n = 2 * 3 * 4;
    const m = paddedElements(g);

    it('is the adjoint of the forward: <pad(x), dY> = <x, padᵀ(dY)>', () => {
      const x = randomArray(n, 1), dY = randomArray(m, 2);
      const y = be.alloc(m), dX = be.alloc(n);
      be.pad2d(g, x, y);
      be.pad2dBackward(g, dY, dX);
      const lhs = y.reduce((s, v, i) => s + v * dY[i]!, 0);
      const rhs = x.reduce((s, v, i) => s + v * dX[i]!, 0);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12);
    });

    it('matches central finite differences of Σ pad(x)·dY', () => {
      const x = randomArray(n, 3), dY = randomArray(m, 4);
      const dX = be.alloc(n);
      be.pad2dBackward(g, dY, dX);
      const loss = (v: Float64Array) => { const y = be.alloc(m); be.pad2d(g, v, y); return y.reduce((s, t, i) => s + t * dY[i]!, 0); };
      const h = 1e-6;
      const numeric = x.map((_, i) => { const up = x.slice(); up[i]! += h; const down = x.slice(); down[i]! -= h; return (loss(up) - loss(down)) / (2 * h); });
      expect(maxAbsDiff(dX, numeric)).toBeLessThan(1e-8);
    });
  });

  it('padSource: every padded index maps inside the input (padding 2 on a size-3 axis)', () => {
    for (const mode of PADDING_MODES) {
      for (let q = 0; q < 2 + 3 + 2; q++) {
        const i = padSource(q, 3, 2, mode);
        expect(i >= 0 && i < 3, `${mode} q=${q} → ${i}`).toBe(true);
      }
    }
  });
});
