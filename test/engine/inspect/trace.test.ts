// The trace of a conv output through im2col and the GEMM, against the convolution written out by
// hand in this file (no engine geometry): for strided, dilated, grouped, non-square, 'same' and
// padding-mode convs, every tap reads the input cell (or padding zero) the definition says, with
// the filter's weight, and products + bias give the layer's output; and the backward spread of
// every output pixel, summed, is the tape's gradient of the layer input.

import { describe, expect, it } from 'vitest';
import { inspect } from '../../../src/engine/inspect/inspect';
import { findModule } from '../../../src/engine/inspect/modulePath';
import { traceConvOutput } from '../../../src/engine/inspect/trace';
import { sampleOf } from '../../../src/engine/inspect/types';
import { cpuFixture } from './fixture';

interface Case {
  name: string;
  conv: string;
  input: [number, number, number];
  /** Expected by hand: stride, dilation, top/left padding, groups, mode. */
  s: [number, number];
  d: [number, number];
  pad: [number, number];
  groups: number;
  mode: 'zeros' | 'reflect' | 'replicate' | 'circular';
}

const CASES: Case[] = [
  { name: 'stride 2, padding 1', conv: 'conv(3,3,s=2,p=1)', input: [2, 7, 6], s: [2, 2], d: [1, 1], pad: [1, 1], groups: 1, mode: 'zeros' },
  { name: 'non-square kernel, uneven padding, dilation', conv: 'conv(2,3x2,p=2x1,d=2x1)', input: [1, 8, 6], s: [1, 1], d: [2, 1], pad: [2, 1], groups: 1, mode: 'zeros' },
  { name: 'groups, stride 2x1, no bias', conv: 'conv(4,3,s=2x1,p=1,g=2,bias=false)', input: [4, 6, 5], s: [2, 1], d: [1, 1], pad: [1, 1], groups: 2, mode: 'zeros' },
  { name: "'same' with an even kernel (asymmetric)", conv: 'conv(2,2,p=same)', input: [1, 5, 5], s: [1, 1], d: [1, 1], pad: [0, 0], groups: 1, mode: 'zeros' },
  { name: 'reflect', conv: 'conv(2,3,p=2,pm=reflect)', input: [2, 5, 4], s: [1, 1], d: [1, 1], pad: [2, 2], groups: 1, mode: 'reflect' },
  { name: 'replicate, strided', conv: 'conv(3,3,s=2,p=2,pm=replicate)', input: [1, 5, 5], s: [2, 2], d: [1, 1], pad: [2, 2], groups: 1, mode: 'replicate' },
  { name: 'circular, dilated, grouped', conv: 'conv(2,2,p=2,d=2,g=2,pm=circular)', input: [2, 4, 5], s: [1, 1], d: [2, 2], pad: [2, 2], groups: 2, mode: 'circular' },
];

/** Which input index a padded index q reads on an axis of n cells (null: zero padding). */
function sourceIndex(q: number, n: number, mode: Case['mode']): number | null {
  if (q >= 0 && q < n) return q;
  switch (mode) {
    case 'zeros':
      return null;
    case 'replicate':
      return q < 0 ? 0 : n - 1;
    case 'reflect':
      return q < 0 ? -q : 2 * (n - 1) - q;
    case 'circular':
      return (q + n) % n;
  }
}

describe('conv output trace', () => {
  it.each(CASES)('$name', async (c) => {
    const f = cpuFixture(`${c.conv} flatten linear(3)`, c.input, 1);
    const got = await inspect(f.be, f.model, f.source, 1, { kind: 'class', classes: [2] });
    const conv = findModule(got, '0');
    const [, outC, outH, outW] = conv.output.shape as [number, number, number, number];
    const [inC, inH, inW] = c.input;
    const [, perGroup, kh, kw] = conv.conv!.weight.shape as [number, number, number, number];
    expect(perGroup).toBe(inC / c.groups);
    const x = sampleOf(got.input.data, got.input.shape, 0);
    const sample = { input: x, output: sampleOf(conv.output.data, conv.output.shape, 0), dOutput: sampleOf(conv.output.grad!, conv.output.shape, 0) };
    const spreadSum = new Float64Array(x.length);
    for (let o = 0; o < outC; o++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          const t = traceConvOutput(conv.conv!, sample, o, oh, ow);
          const group = Math.floor(o / (outC / c.groups));
          expect(t.gemm).toEqual({ m: outC / c.groups, n: outH * outW, k: perGroup * kh * kw, row: o - group * (outC / c.groups), col: oh * outW + ow, groups: c.groups });
          expect(t.taps).toHaveLength(perGroup * kh * kw);
          t.taps.forEach((tap, r) => {
            const cl = Math.floor(r / (kh * kw));
            expect([tap.c, tap.i, tap.j]).toEqual([group * perGroup + cl, Math.floor(r / kw) % kh, r % kw]);
            const h = oh * c.s[0] - c.pad[0] + tap.i * c.d[0];
            const w = ow * c.s[1] - c.pad[1] + tap.j * c.d[1];
            expect([tap.frameH - t.frame.top, tap.frameW - t.frame.left]).toEqual([h, w]);
            const sh = sourceIndex(h, inH, c.mode);
            const sw = sourceIndex(w, inW, c.mode);
            const source = sh === null || sw === null ? null : { h: sh, w: sw };
            expect(tap.source).toEqual(source);
            expect(tap.value).toBe(source ? x[(tap.c * inH + source.h) * inW + source.w] : 0);
            expect(tap.weight).toBe(conv.conv!.weight.data[((o * perGroup + cl) * kh + tap.i) * kw + tap.j]);
            expect(tap.product).toBe(tap.value * tap.weight);
          });
          expect(t.total).toBeCloseTo(t.output, 12);
          expect(t.bias).toBe(conv.conv!.bias ? conv.conv!.bias[o] : 0);
          const b = t.backward!;
          expect(b.grad).toBe(sample.dOutput[(o * outH + oh) * outW + ow]);
          b.dColumn.forEach((v, r) => expect(v).toBeCloseTo(t.taps[r]!.weight * b.grad, 14));
          b.spread.forEach((v, k) => (spreadSum[k]! += v));
        }
      }
    }
    expect(c.mode === 'zeros' ? conv.conv!.pad : conv.conv!.pad?.mode).toEqual(c.mode === 'zeros' ? null : c.mode);
    const dInput = sampleOf(got.input.grad!, got.input.shape, 0);
    spreadSum.forEach((v, k) => expect(v).toBeCloseTo(dInput[k]!, 12));
  });

  it('refuses a pixel outside the output', async () => {
    const f = cpuFixture('conv(2,3) flatten linear(2)', [1, 5, 5], 1);
    const got = await inspect(f.be, f.model, f.source, 1, null);
    const conv = findModule(got, '0');
    const sample = { input: got.input.data, output: conv.output.data, dOutput: null };
    expect(() => traceConvOutput(conv.conv!, sample, 0, 3, 0)).toThrow(/\(0, 3, 0\) is outside the 2×3×3 output/);
    expect(traceConvOutput(conv.conv!, sample, 1, 2, 2).backward).toBeNull();
  });
});
