import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import {
  PoolShapeError,
  pool2dGeometry,
  poolInputElements,
  poolOutputElements,
  pooledSize,
  type Pool2dGeometry,
} from '../../../src/engine/pool/geometry';
import { pooledLength } from '../../../src/shared/cases';
import { POOL_CONFIGS } from '../../helpers/poolConfigs';
import { maxAbsDiff, randomArray } from '../../helpers/random';

const be = new CpuBackend();

/** Max and mean straight from the definition on an explicitly padded copy of the input. */
function bruteForcePool(g: Pool2dGeometry, x: Float64Array, kind: 'max' | 'avg'): Float64Array {
  const out = new Float64Array(poolOutputElements(g));
  const PH = g.inHeight + 2 * g.padH;
  const PW = g.inWidth + 2 * g.padW;
  for (let plane = 0; plane < g.batch * g.channels; plane++) {
    const padded = new Float64Array(PH * PW).fill(kind === 'max' ? -Infinity : 0);
    const inside = new Uint8Array(PH * PW);
    for (let h = 0; h < g.inHeight; h++) {
      for (let w = 0; w < g.inWidth; w++) {
        padded[(h + g.padH) * PW + w + g.padW] = x[(plane * g.inHeight + h) * g.inWidth + w]!;
        inside[(h + g.padH) * PW + w + g.padW] = 1;
      }
    }
    for (let oh = 0; oh < g.outHeight; oh++) {
      for (let ow = 0; ow < g.outWidth; ow++) {
        let best = -Infinity;
        let sum = 0;
        let inPadded = 0;
        let inInput = 0;
        for (let i = 0; i < g.kernelH; i++) {
          for (let j = 0; j < g.kernelW; j++) {
            const r = oh * g.strideH + i * g.dilationH;
            const c = ow * g.strideW + j * g.dilationW;
            if (r >= PH || c >= PW) continue; // beyond the padded input (ceil_mode overhang)
            best = Math.max(best, padded[r * PW + c]!);
            sum += padded[r * PW + c]!;
            inPadded++;
            inInput += inside[r * PW + c]!;
          }
        }
        out[(plane * g.outHeight + oh) * g.outWidth + ow] = kind === 'max' ? best : sum / (g.countIncludePad ? inPadded : inInput);
      }
    }
  }
  return out;
}

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

const maxPool = (g: Pool2dGeometry, x: Float64Array) => {
  const y = be.alloc(poolOutputElements(g));
  const argmax = be.alloc(poolOutputElements(g));
  be.maxPool2d(g, x, y, argmax);
  return { y, argmax };
};
const avgPool = (g: Pool2dGeometry, x: Float64Array) => {
  const y = be.alloc(poolOutputElements(g));
  be.avgPool2d(g, x, y);
  return y;
};

describe('pool geometry', () => {
  it('defaults stride to the kernel size and count_include_pad to true', () => {
    const g = pool2dGeometry([2, 3, 7, 6], { kernelSize: [3, 2] });
    expect([g.strideH, g.strideW, g.outHeight, g.outWidth, g.countIncludePad, g.ceilMode]).toEqual([3, 2, 2, 3, true, false]);
  });

  it("ceil_mode rounds up but drops a last window that would start in the right padding (PyTorch's rule)", () => {
    expect(pooledSize(5, 2, 2, 0, 1, false)).toBe(2);
    expect(pooledSize(5, 2, 2, 0, 1, true)).toBe(3);
    // (5 + 2 − 3)/3 = 1.33 → ceil 2, +1 = 3; window 2 would start at 6 − 1 = 5 ≥ 5: dropped.
    expect(pooledSize(5, 3, 3, 1, 1, true)).toBe(2);
    expect(pooledSize(5, 3, 3, 1, 1, false)).toBe(2);
  });

  it('agrees with the case parser on every small geometry', () => {
    for (let size = 1; size <= 9; size++)
      for (let k = 1; k <= 4; k++)
        for (let s = 1; s <= 4; s++)
          for (let p = 0; p <= k / 2; p++)
            for (let d = 1; d <= 3; d++)
              for (const ceil of [false, true]) {
                expect(pooledSize(size, k, s, p, d, ceil)).toBe(pooledLength(size, k, s, p, d, ceil));
              }
  });

  it('rejects what PyTorch rejects, with messages that say what to fix', () => {
    expect(() => pool2dGeometry([1, 1, 8, 8], { kernelSize: 3, padding: 2 })).toThrow(/padding \[2, 2\] must be at most half of kernel_size \[3, 3\]/);
    expect(() => pool2dGeometry([1, 1, 8, 8], { kernelSize: 1, padding: 1 })).toThrow(PoolShapeError);
    expect(() => pool2dGeometry([1, 1, 8, 8], { kernelSize: 2, stride: 0 })).toThrow(/stride must be >= 1/);
    expect(() => pool2dGeometry([1, 1, 8, 8], { kernelSize: 0 })).toThrow(/kernel_size must be >= 1/);
    expect(() => pool2dGeometry([1, 1, 8, 8], { kernelSize: 2, dilation: 0 })).toThrow(/dilation must be >= 1/);
    expect(() => pool2dGeometry([1, 1, 1, 1], { kernelSize: 3, stride: 1, padding: 1, dilation: 3 })).toThrow(/pool output would be -3×-3/);
    expect(() => pool2dGeometry([1, 8, 8], { kernelSize: 2 })).toThrow(/4-D/);
    expect(() => pool2dGeometry([1, 1, 8, 8], { kernelSize: 2.5 })).toThrow(/integer/);
  });
});

describe.each(POOL_CONFIGS)('max pool CPU twin: $name', (cfg) => {
  const g = pool2dGeometry(cfg.input, cfg.options);
  const x = randomArray(poolInputElements(g), 21);
  const dY = randomArray(poolOutputElements(g), 22);

  it('forward equals the definition, and argmax points at the maximum', () => {
    const { y, argmax } = maxPool(g, x);
    expect(maxAbsDiff(y, bruteForcePool(g, x, 'max'))).toBe(0);
    const plane = g.inHeight * g.inWidth;
    for (let o = 0; o < y.length; o++) {
      const p = Math.floor(o / (g.outHeight * g.outWidth));
      expect(x[p * plane + argmax[o]!]).toBe(y[o]);
    }
  });

  it('backward matches central finite differences', () => {
    const { argmax } = maxPool(g, x);
    const dX = be.alloc(poolInputElements(g));
    be.maxPool2dBackward(g, dY, argmax, dX);
    expect(maxAbsDiff(dX, numericGrad((v) => maxPool(g, v).y, x, dY))).toBeLessThan(1e-8);
  });
});

describe.each(POOL_CONFIGS.filter((c) => !c.maxOnly))('avg pool CPU twin: $name', (cfg) => {
  for (const countIncludePad of [true, false]) {
    const g = pool2dGeometry(cfg.input, { ...cfg.options, countIncludePad });
    const x = randomArray(poolInputElements(g), 31);
    const dY = randomArray(poolOutputElements(g), 32);

    it(`forward equals the definition (count_include_pad=${countIncludePad})`, () => {
      expect(maxAbsDiff(avgPool(g, x), bruteForcePool(g, x, 'avg'))).toBeLessThan(1e-15);
    });

    it(`backward matches central finite differences (count_include_pad=${countIncludePad})`, () => {
      const dX = be.alloc(poolInputElements(g));
      be.avgPool2dBackward(g, dY, dX);
      expect(maxAbsDiff(dX, numericGrad((v) => avgPool(g, v), x, dY))).toBeLessThan(1e-8);
    });
  }
});

describe('max pool edge cases', () => {
  it('ties keep the first maximum in row-major window order', () => {
    const g = pool2dGeometry([1, 1, 2, 3], { kernelSize: [2, 3] });
    const { y, argmax } = maxPool(g, Float64Array.of(1, 5, 2, 5, 5, 0));
    expect([y[0], argmax[0]]).toEqual([5, 1]);
  });

  it('NaN wins and the index is the last NaN in the window (ATen)', () => {
    const g = pool2dGeometry([1, 1, 1, 5], { kernelSize: [1, 5] });
    const { y, argmax } = maxPool(g, Float64Array.of(1, Number.NaN, 3, Number.NaN, 5));
    expect(Number.isNaN(y[0])).toBe(true);
    expect(argmax[0]).toBe(3);
  });

  it('a window of −inf points at its first input cell', () => {
    const g = pool2dGeometry([1, 1, 2, 2], { kernelSize: 2, padding: 1, stride: 2 });
    const { y, argmax } = maxPool(g, Float64Array.of(-Infinity, -Infinity, -Infinity, -Infinity));
    expect(Array.from(y)).toEqual([-Infinity, -Infinity, -Infinity, -Infinity]);
    expect(Array.from(argmax)).toEqual([0, 1, 2, 3]);
  });

  it('a dilated window that misses the input gives −inf, the sentinel H·W, and no gradient', () => {
    const g = pool2dGeometry([1, 1, 2, 2], { kernelSize: 2, stride: 1, padding: 1, dilation: 3 });
    expect([g.outHeight, g.outWidth]).toEqual([1, 1]);
    const { y, argmax } = maxPool(g, Float64Array.of(1, 2, 3, 4));
    expect([y[0], argmax[0]]).toEqual([-Infinity, 4]);
    const dX = be.alloc(4);
    be.maxPool2dBackward(g, Float64Array.of(7), argmax, dX);
    expect(Array.from(dX)).toEqual([0, 0, 0, 0]);
  });

  it('overlapping windows that share a maximum add their gradients there', () => {
    const g = pool2dGeometry([1, 1, 1, 3], { kernelSize: [1, 2], stride: 1 });
    const { argmax } = maxPool(g, Float64Array.of(0, 9, 1));
    const dX = be.alloc(3);
    be.maxPool2dBackward(g, Float64Array.of(2, 3), argmax, dX);
    expect(Array.from(dX)).toEqual([0, 5, 0]);
  });
});

describe('avg pool divisor', () => {
  it('counts padding inside the padded border but not the ceil_mode overhang beyond it', () => {
    // 1×3 input, kernel 1×3, stride 2, pad 1, ceil: the padded columns are −1..3. The second
    // window covers columns 1, 2, 3 — two input cells and one pad cell inside the border: divisor 3.
    const g = pool2dGeometry([1, 1, 1, 3], { kernelSize: [1, 3], stride: [1, 2], padding: [0, 1], ceilMode: true });
    expect(g.outWidth).toBe(2);
    const y = avgPool(g, Float64Array.of(3, 6, 9));
    expect(Array.from(y)).toEqual([(0 + 3 + 6) / 3, (6 + 9 + 0) / 3]);

    // 1×4 input, same pool: padded columns −1..4, out = ceil((4 + 2 − 3)/2) + 1 = 3. The last
    // window covers columns 3, 4, 5; column 5 is ceil_mode overhang, so the divisor is 2, not 3.
    // (Values checked against torch.nn.functional.avg_pool2d.)
    const h = pool2dGeometry([1, 1, 1, 4], { kernelSize: [1, 3], stride: [1, 2], padding: [0, 1], ceilMode: true });
    expect(h.outWidth).toBe(3);
    expect(Array.from(avgPool(h, Float64Array.of(2, 4, 6, 8)))).toEqual([6 / 3, 18 / 3, 8 / 2]);
    const noPad = pool2dGeometry([1, 1, 1, 4], { kernelSize: [1, 3], stride: [1, 2], padding: [0, 1], ceilMode: true, countIncludePad: false });
    expect(Array.from(avgPool(noPad, Float64Array.of(2, 4, 6, 8)))).toEqual([6 / 2, 18 / 3, 8 / 1]);
  });

  it('refuses dilation, which AvgPool2d does not have', () => {
    const g = pool2dGeometry([1, 1, 5, 5], { kernelSize: 2, dilation: 2 });
    expect(() => avgPool(g, randomArray(25, 1))).toThrow(/avg_pool2d has no dilation/);
  });
});
