// The one pass/fail rule every fixture comparison uses (numpy's allclose, applied elementwise):
// an element passes when |got - expected| <= atol + rtol * |expected|.

import type { Tolerance } from './types';

export interface TensorComparison {
  pass: boolean;
  /** Largest |got - expected|; Infinity when a value is NaN/Infinity or the lengths differ. */
  worstAbsError: number;
  /** Index of worstAbsError, or -1 when the lengths differ or both tensors are empty. */
  worstIndex: number;
  /** Elements outside the tolerance (all of them, max of the two lengths, when the lengths differ). */
  mismatches: number;
}

export function compareTensor(
  got: ArrayLike<number>,
  expected: { shape: number[]; data: ArrayLike<number> },
  tol: Tolerance,
): TensorComparison {
  const want = expected.data;
  if (got.length !== want.length) {
    return { pass: false, worstAbsError: Infinity, worstIndex: -1, mismatches: Math.max(got.length, want.length) };
  }
  let worstAbsError = 0;
  let worstIndex = -1;
  let mismatches = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const e = want[i]!;
    // NaN/Infinity on either side is a failure and the worst possible error. Checking finiteness
    // first matters: with expected = Infinity the bound atol + rtol*|e| is Infinity too.
    const diff = Number.isFinite(g) && Number.isFinite(e) ? Math.abs(g - e) : Infinity;
    if (diff === Infinity || diff > tol.atol + tol.rtol * Math.abs(e)) mismatches++;
    if (worstIndex < 0 || diff > worstAbsError) {
      worstAbsError = diff;
      worstIndex = i;
    }
  }
  return { pass: mismatches === 0, worstAbsError, worstIndex, mismatches };
}
