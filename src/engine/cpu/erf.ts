// erf in float64 for the CPU twins (JavaScript's Math has none). Two expansions, each used where
// it converges fast and without cancellation:
//   |z| < 2:  erf(z) = 2/√π · e^(−z²) · Σ_n 2ⁿ z^(2n+1) / (1·3·…·(2n+1))   (all terms positive)
//   |z| ≥ 2:  erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …)))))
// Both are textbook identities (Abramowitz & Stegun 7.1.6 and 7.1.14); the test compares them
// with PyTorch's torch.erf in float64.

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

function erfSeries(z: number): number {
  let term = z;
  let sum = z;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (2 * z * z) / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-z * z) * sum;
}

/** erfc(z) for z ≥ 2 by the continued fraction (100 levels: converged to float64 there), evaluated from a fixed depth upwards. */
function erfcFraction(z: number): number {
  let tail = z;
  for (let k = 100; k >= 1; k--) tail = z + k / 2 / tail;
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / tail;
}

export function erf(z: number): number {
  if (Number.isNaN(z)) return z;
  if (Math.abs(z) < 2) return erfSeries(z);
  const tail = erfcFraction(Math.abs(z));
  return z > 0 ? 1 - tail : tail - 1;
}

/** erfc(z) = 1 − erf(z), with full relative accuracy for large positive z (where 1 − erf would
 *  cancel): the standard normal CDF Φ(x) = erfc(−x/√2)/2 needs it for very negative x. */
export function erfc(z: number): number {
  if (Number.isNaN(z)) return z;
  if (z >= 2) return erfcFraction(z);
  return 1 - erf(z);
}
