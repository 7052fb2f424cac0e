// The autograd tape, micrograd-sized. Layers record one closure per forward op; backward()
// runs them newest first. Each closure reads its output's .grad and writes its inputs' .grad
// and its parameters' gradients (a Sequential uses every tensor once, so gradients are
// assigned, never summed across uses).
//
// The tape also owns the step's temporary buffers (activations, their gradients, workspaces)
// and hands them back to the backend's pool in reset(), so a step allocates nothing new once
// the pool is warm. In evaluation the tape records nothing but still owns the temporaries.

import type { Backend } from '../backend';

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
