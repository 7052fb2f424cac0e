// The tape's fan-out rule: a tensor used twice gets the sum of its two gradients, the first kept
// without a copy and never written in place afterwards (it may be another tensor's gradient).

import { describe, expect, it } from 'vitest';
import { Tape } from '../../../src/engine/autograd/tape';
import { Tensor } from '../../../src/engine/autograd/tensor';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';

const be = new CpuBackend();

describe('Tape.addGrad', () => {
  it('keeps the first gradient as it is and sums a second into a new buffer', () => {
    const tape = new Tape(be, true);
    const x = new Tensor(be.upload([0, 0, 0]), [3], true);
    const first = be.upload([1, 2, 3]);
    const second = be.upload([10, 20, 30]);
    tape.addGrad(x, first);
    expect(x.grad).toBe(first);
    tape.addGrad(x, second);
    expect(Array.from(x.grad!)).toEqual([11, 22, 33]);
    expect(Array.from(first)).toEqual([1, 2, 3]);
    expect(Array.from(second)).toEqual([10, 20, 30]);
  });

  it('sums a gradient with itself (x + x through two identity paths) to twice it', () => {
    const tape = new Tape(be, true);
    const x = new Tensor(be.upload([0, 0]), [2], true);
    const g = be.upload([1.5, -2]);
    tape.addGrad(x, g);
    tape.addGrad(x, g);
    expect(Array.from(x.grad!)).toEqual([3, -4]);
    expect(Array.from(g)).toEqual([1.5, -2]);
  });

  it('gives nothing to a tensor that needs no gradient (the model input)', () => {
    const tape = new Tape(be, true);
    const x = new Tensor(be.upload([0]), [1], false);
    tape.addGrad(x, be.upload([1]));
    expect(x.grad).toBeNull();
  });
});
