// A small seeded pseudo-random generator shared by the dataset splitter and the trainer, so that
// "seed 42" means the same split and the same batch order in the app, the CLI and the tests.
//
// Algorithm: mulberry32 (Tommy Ettinger, 2017). The state is one uint32 that advances by the odd
// constant 0x6D2B79F5 (a Weyl sequence, so the period is exactly 2^32); each output is that state
// passed through an xorshift-multiply mixer. It is not cryptographic and its period is short for
// simulation work, but it is tiny, fast, and far more than enough for shuffling tens of thousands of
// indices. Two generators with the same seed produce the same stream on every platform because
// every step is 32-bit integer arithmetic (Math.imul and >>> 0).

/** Anything indexable and writable by position: plain arrays and typed arrays alike. */
export interface MutableIndexable<T> {
  length: number;
  [index: number]: T;
}

export class Random {
  private state: number;

  /** `seed` is reduced to a uint32; non-integer or non-finite seeds are refused (they would silently
   *  collapse onto the same stream). */
  constructor(seed: number) {
    if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
      throw new Error(`Random seed must be an integer, got ${String(seed)}: pass a whole number such as 42`);
    }
    this.state = seed >>> 0;
  }

  /** The next raw 32-bit output, 0 ≤ x < 2^32. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). Uses rejection so that every value is exactly equally likely
   *  (plain `floor(nextFloat() * n)` favours small values whenever n does not divide 2^32). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
      throw new Error(`Random.nextInt(n) needs an integer 1 ≤ n ≤ 2^32, got ${String(n)}`);
    }
    // The largest multiple of n that fits in 2^32; outputs at or above it would bias the result.
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Fisher–Yates shuffle in place; returns the same array for chaining. */
  shuffle<A extends MutableIndexable<unknown>>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }
}
