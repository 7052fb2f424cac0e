// The autograd tape, micrograd-sized. Layers record one closure per forward op; backward()
// runs them newest first. Each closure reads its output's .grad and hands its input its share
// of the gradient with addGrad, and writes its parameters' gradients.
//
// A tensor used twice (the input of a residual block feeds its body and its shortcut) receives
// one gradient from each use, and they are summed: the first is kept as it is, a later one is
// added into a fresh buffer. Nothing is ever added in place, because the first gradient may be
// another tensor's gradient too (flatten and identity paths pass theirs on without a copy) that a
// closure still to run may read.
//
// The tape also owns the step's temporary buffers (activations, their gradients, workspaces)
// and hands them back to the backend's pool in reset(), so a step allocates nothing new once
// the pool is warm. In evaluation the tape records nothing but still owns the temporaries.

import type { Backend } from '../backend';
import type { Tensor } from './tensor';

export class Tape<B> {
  private readonly closures: Array<() => void> = [];
  private readonly temporaries: B[] = [];

  constructor(readonly be: Backend<B>, readonly recording: boolean) {}

  /** A buffer that lives until reset(); contents undefined. */
  temp(length: number, label: string): B {
    const t = this.be.alloc(length, label);
    this.temporaries.push(t);
    return t;
  }

  record(backward: () => void): void {
    if (this.recording) this.closures.push(backward);
  }

  /** Give x the gradient g from one of its uses: x.grad = g on the first, x.grad + g after. */
  addGrad(x: Tensor<B>, g: B): void {
    if (!x.requiresGrad) return;
    if (x.grad === null) {
      x.grad = g;
      return;
    }
    const sum = this.temp(x.size, 'grad-sum');
    this.be.copy(x.grad, 0, sum, 0, x.size);
    this.be.scaleAdd(x.size, 1, g, sum);
    x.grad = sum;
  }

  backward(): void {
    for (let i = this.closures.length - 1; i >= 0; i--) this.closures[i]!();
    this.closures.length = 0;
  }

  reset(): void {
    this.closures.length = 0;
    for (const t of this.temporaries) this.be.release(t);
    this.temporaries.length = 0;
  }
}
