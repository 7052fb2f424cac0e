// Dropout (training mode) in float64: the twin of kernels/dropout.wgsl.
//
// Each element draws its own random number from a counter-based hash of (seed, index), so the
// mask needs no RNG state, every element is independent of dispatch order, and the CPU twin
// reproduces the GPU's keep/drop pattern bit for bit. The hash is PCG's output permutation used
// as a hash (Jarzynski & Olano, "Hash Functions for GPU Rendering", JCGT 2020), applied twice:
// once to the seed (so nearby seeds give unrelated streams) and once to index ^ that key.
//
// An element is kept when its 32-bit draw is >= dropThreshold(p) — an integer comparison, so f32
// and f64 agree exactly. The mask stores the multiplier, 0 or 1/(1−p), which the backward reuses.

export function pcgHash(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> (((state >>> 28) + 4) & 31)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The draw of element `index` for `seed`: a u32, uniform over [0, 2³²). */
export function dropoutDraw(seed: number, index: number): number {
  return pcgHash((index ^ pcgHash(seed)) >>> 0);
}

/** floor(p · 2³²), capped at 2³² − 1: draws below it are dropped, so P(drop) = p to within 2⁻³².
 *  (p = 1 is handled by a zero scale, since no u32 threshold drops every draw.) */
export function dropThreshold(p: number): number {
  return Math.min(0xffffffff, Math.floor(p * 4294967296));
}

export function checkDropoutArgs(n: number, p: number, seed: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`dropout: element count must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`dropout seed must be an integer in [0, 2^32), got ${seed}`);
}

export function dropoutCpu(n: number, p: number, seed: number, x: Float64Array, y: Float64Array, mask: Float64Array): void {
  checkDropoutArgs(n, p, seed);
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const threshold = dropThreshold(p);
  for (let i = 0; i < n; i++) {
    const m = dropoutDraw(seed, i) >= threshold ? scale : 0;
    mask[i] = m;
    y[i] = x[i]! * m;
  }
}

export function dropoutBackwardCpu(n: number, dY: Float64Array, mask: Float64Array, dX: Float64Array): void {
  for (let i = 0; i < n; i++) dX[i] = dY[i]! * mask[i]!;
}
