// SGD and Adam/AdamW CPU twins against PyTorch trajectories (test/fixtures/engine/optim.json,
// from scripts/fixtures/make_optim_bn_fixtures.py): 5 steps each with fixed gradients.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AdamOptions, SgdOptions } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { adamScalars } from '../../../src/engine/cpu/optim';
import { maxAbsDiff } from '../../helpers/random';

const be = new CpuBackend();

interface Tensor { shape: number[]; data: number[] }
interface OptimCase {
  name: string;
  kind: 'sgd' | 'adam';
  options: Omit<SgdOptions, 'firstStep'> | Omit<AdamOptions, 'step'>;
  param0: Tensor;
  grads: Tensor[];
  expected: Tensor[];
}
const optimFixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/engine/optim.json'), 'utf8')) as { cases: OptimCase[] };

describe('optimizer CPU twins against PyTorch', () => {
  expect(optimFixture.cases.map((c) => c.kind).sort()).toContain('sgd');
  for (const c of optimFixture.cases) {
    it(c.name, () => {
      const n = c.param0.data.length;
      const param = Float64Array.from(c.param0.data);
      const bufA = be.alloc(n), bufB = be.zeros(n);
      if (c.kind === 'adam') bufA.fill(0);
      c.grads.forEach((g, t) => {
        const grad = Float64Array.from(g.data);
        if (c.kind === 'sgd') be.sgdStep(n, { ...(c.options as Omit<SgdOptions, 'firstStep'>), firstStep: t === 0 }, param, grad, bufA);
        else be.adamStep(n, { ...(c.options as Omit<AdamOptions, 'step'>), step: t + 1 }, param, grad, bufA, bufB);
        expect(maxAbsDiff(param, c.expected[t]!.data), `step ${t + 1}`).toBeLessThan(1e-12);
      });
    });
  }
});

describe('optimizer details', () => {
  it('SGD without momentum never touches the momentum buffer', () => {
    const buf = be.alloc(2);
    const param = Float64Array.of(1, 2);
    be.sgdStep(2, { lr: 0.5, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, firstStep: true }, param, Float64Array.of(1, -1), buf);
    expect(Array.from(param)).toEqual([0.5, 2.5]);
    expect(buf.every(Number.isNaN)).toBe(true);
  });

  it('Adam refuses a step count that is not 1-based', () => {
    expect(() => adamScalars({ lr: 1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 0 })).toThrow(/1-based/);
  });
});
