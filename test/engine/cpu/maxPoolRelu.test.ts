// A ReLU fused into the max pool after it (CPU twins): output and gradient equal ReLU then
// MaxPool2d bit for bit, with ties, −0, windows without a positive tap, −inf, NaN, and the
// dilated window that misses the input. Also the layer level: Sequential fuses the pair and
// trains exactly as the layers run one by one.

import { describe, expect, it } from 'vitest';
import { Tape } from '../../../src/engine/autograd/tape';
import { Tensor } from '../../../src/engine/autograd/tensor';
import type { Backend, KernelScope } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { parseText } from '../../../src/engine/model/parseText';
import type { ForwardContext } from '../../../src/engine/nn/layer';
import { Sequential } from '../../../src/engine/nn/sequential';
import { type Pool2dGeometry, pool2dGeometry, poolInputElements, poolOutputElements } from '../../../src/engine/pool/geometry';
import { POOL_CONFIGS, reluPoolInput } from '../../helpers/poolConfigs';
import { randomArray } from '../../helpers/random';

const be = new CpuBackend();

function unfused(g: Pool2dGeometry, x: Float64Array, dY: Float64Array) {
  const z = be.alloc(x.length);
  be.relu(x.length, x, z);
  const y = be.alloc(poolOutputElements(g));
  const argmax = be.alloc(poolOutputElements(g));
  be.maxPool2d(g, z, y, argmax);
  const dZ = be.alloc(x.length);
  be.maxPool2dBackward(g, dY, argmax, dZ);
  const dX = be.alloc(x.length);
  be.reluBackward(x.length, z, dZ, dX);
  return { y, argmax, dX };
}

function fused(g: Pool2dGeometry, x: Float64Array, dY: Float64Array) {
  const y = be.alloc(poolOutputElements(g));
  const argmax = be.alloc(poolOutputElements(g));
  be.maxPool2d(g, x, y, argmax, true);
  const dX = be.alloc(x.length);
  be.maxPool2dBackward(g, dY, argmax, dX, y);
  return { y, argmax, dX };
}

/** Where the fused backward sends a gradient: y > 0 or NaN (threshold_backward's pass). */
const passes = (v: number): boolean => v > 0 || Number.isNaN(v);

describe.each(POOL_CONFIGS)('max pool with a fused ReLU (CPU twin): $name', (cfg) => {
  const g = pool2dGeometry(cfg.input, cfg.options);
  const x = reluPoolInput(poolInputElements(g), 61);
  const dY = randomArray(poolOutputElements(g), 62);

  it('equals ReLU then max pool bit for bit (toEqual tells −0 from 0), argmax wherever a gradient flows', () => {
    const a = fused(g, x, dY);
    const b = unfused(g, x, dY);
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.dX)).toEqual(Array.from(b.dX));
    a.y.forEach((v, o) => {
      if (passes(v)) expect(a.argmax[o], `output ${o}`).toBe(b.argmax[o]);
    });
    // The input really exercises the cases: NaN, −0 and zero-or-negative windows all occur.
    expect(a.y.some(Number.isNaN)).toBe(true);
    expect(a.y.some((v) => v === 0)).toBe(true);
    expect(a.y.some((v) => v > 0)).toBe(true);
  });
});

describe('max pool with a fused ReLU: special windows', () => {
  const run = (g: Pool2dGeometry, x: number[], dY: number[]) => fused(g, Float64Array.from(x), Float64Array.from(dY));

  it('a window without a positive tap gives relu(first tap): −0 only when the first tap is −0', () => {
    const g = pool2dGeometry([1, 1, 1, 6], { kernelSize: [1, 2] });
    // Windows (−1, −0), (−0, −1), (−inf, −2): the window maxima are −0, −0, −2.
    const { y, dX } = run(g, [-1, -0, -0, -1, -Infinity, -2], [5, 6, 7]);
    expect(Array.from(y)).toEqual([0, -0, 0]);
    expect(Array.from(dX)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('NaN propagates and passes its gradient to the last NaN, as ReLU-backward passes NaN', () => {
    const g = pool2dGeometry([1, 1, 1, 4], { kernelSize: [1, 4] });
    const { y, argmax, dX } = run(g, [1, Number.NaN, 3, Number.NaN], [2]);
    expect([y[0], argmax[0]]).toEqual([Number.NaN, 3]);
    expect(Array.from(dX)).toEqual([0, 0, 0, 2]);
  });

  it('a dilated window that misses the input stays −inf with the sentinel and no gradient, as unfused', () => {
    const g = pool2dGeometry([1, 1, 2, 2], { kernelSize: 2, stride: 1, padding: 1, dilation: 3 });
    const x = Float64Array.of(1, 2, 3, 4);
    const a = fused(g, x, Float64Array.of(7));
    expect([a.y[0], a.argmax[0]]).toEqual([-Infinity, 4]);
    expect(Array.from(a.dX)).toEqual([0, 0, 0, 0]);
    expect(Array.from(a.y)).toEqual(Array.from(unfused(g, x, Float64Array.of(7)).y));
  });
});

describe('Sequential fuses ReLU + MaxPool2d', () => {
  const spec = parseText('conv(4,3,p=1) relu maxpool(2) conv(6,3,p=1) relu maxpool(2,s=1) flatten linear(5)', [2, 8, 8]);

  /** One forward + backward; `fuse: false` runs the layers one by one, as before the fusion. */
  function step(fuse: boolean, x: Float64Array) {
    const model = new Sequential(spec, be, 3);
    const tape = new Tape(be, true);
    const ctx: ForwardContext<Float64Array> = { be, tape, training: true, stepSeed: 0 };
    const input = new Tensor(x, [3, 2, 8, 8], false);
    const out = fuse ? model.forward(input, ctx) : model.layers.reduce((h, layer) => layer.forward(h, ctx), input);
    out.grad = randomArray(out.size, 72);
    tape.backward();
    return { out: Array.from(out.data), grads: model.parameters().map((p) => [p.name, Array.from(p.grad)]) };
  }

  it('with the same output and the same parameter gradients, bit for bit', () => {
    const x = randomArray(3 * 2 * 8 * 8, 71);
    const a = step(true, x);
    const b = step(false, x);
    expect(a.out).toEqual(b.out);
    expect(a.grads).toEqual(b.grads);
    expect(a.grads.map(([name]) => name)).toEqual(['0.weight', '0.bias', '3.weight', '3.bias', '7.weight', '7.bias']);
  });

  it('and names the fused kernels after both layers', () => {
    const scopes: string[] = [];
    const spy: Backend<Float64Array> = Object.create(be);
    spy.setScope = (scope: KernelScope | null) => { if (scope) scopes.push(`${scope.layer}|${scope.phase}`); };
    const model = new Sequential(spec, spy, 3);
    const tape = new Tape(spy, true);
    const out = model.forward(new Tensor(randomArray(3 * 2 * 8 * 8, 73), [3, 2, 8, 8], false), { be: spy, tape, training: true, stepSeed: 0 });
    out.grad = randomArray(out.size, 74);
    tape.backward();
    expect(scopes).toContain('1.relu+2.max_pool2d|forward');
    expect(scopes).toContain('4.relu+5.max_pool2d|grad-input');
    expect(scopes.some((s) => /^(1|4)\.relu\|/.test(s) || /^(2|5)\.max_pool2d\|/.test(s))).toBe(false);
  });
});
