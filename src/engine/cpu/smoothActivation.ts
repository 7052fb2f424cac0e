// Sigmoid, Tanh, GELU (exact, erf form) and SiLU in float64: the CPU twins of the smooth
// activations of kernels/activation.wgsl and kernels/activation_backward.wgsl (KIND 2…5).
//
// The backward reads what PyTorch's own backward reads: the forward OUTPUT for sigmoid and tanh
// (sigmoid_backward: dY·y·(1−y); tanh_backward: dY·(1−y²)), the forward INPUT for gelu and silu
// (gelu_backward: dY·(Φ(x) + x·φ(x)); silu_backward: dY·s·(1 + x·(1−s)) with s = σ(x)).

import type { SmoothActivation } from '../backend';
import { erfc } from './erf';

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export function sigmoid(x: number): number {
  // Never exp of a large positive number: both branches stay in (0, 1].
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Φ(x), the standard normal CDF, accurate in the far left tail as well. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * INV_SQRT2);
}

export function activationValue(kind: SmoothActivation, x: number): number {
  switch (kind) {
    case 'sigmoid': return sigmoid(x);
    case 'tanh': return Math.tanh(x);
    case 'gelu': return x * normalCdf(x);
    case 'silu': return x * sigmoid(x);
  }
}

/** dL/dx from dY and the saved tensor (output for sigmoid/tanh, input for gelu/silu). */
export function activationGrad(kind: SmoothActivation, saved: number, dY: number): number {
  switch (kind) {
    case 'sigmoid': return dY * saved * (1 - saved);
    case 'tanh': return dY * (1 - saved * saved);
    case 'gelu': return dY * (normalCdf(saved) + saved * INV_SQRT_2PI * Math.exp(-0.5 * saved * saved));
    case 'silu': {
      const s = sigmoid(saved);
      return dY * s * (1 + saved * (1 - s));
    }
  }
}

export function activationCpu(kind: SmoothActivation, n: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < n; i++) y[i] = activationValue(kind, x[i]!);
}

export function activationBackwardCpu(kind: SmoothActivation, n: number, saved: Float64Array, dY: Float64Array, dX: Float64Array): void {
  for (let i = 0; i < n; i++) dX[i] = activationGrad(kind, saved[i]!, dY[i]!);
}
