// Optimizer steps in float64: the CPU twins of kernels/sgd.wgsl and kernels/adam.wgsl, written to
// follow torch.optim.SGD and torch.optim.Adam / AdamW (PyTorch 1.13, single-tensor path) line by
// line, so a run here and a run in PyTorch take the same trajectory.

import type { AdamOptions, SgdOptions } from '../backend';

export function sgdStepCpu(n: number, o: SgdOptions, param: Float64Array, grad: Float64Array, momentumBuf: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let d = grad[i]!;
    if (o.weightDecay !== 0) d += o.weightDecay * param[i]!;
    if (o.momentum !== 0) {
      // PyTorch starts the buffer as a copy of the first gradient: no dampening on that step.
      const buf = o.firstStep ? d : o.momentum * momentumBuf[i]! + (1 - o.dampening) * d;
      momentumBuf[i] = buf;
      d = o.nesterov ? d + o.momentum * buf : buf;
    }
    param[i] = param[i]! - o.lr * d;
  }
}

/** The bias corrections depend only on the step, so both backends compute them once, here. */
export function adamScalars(o: AdamOptions): { stepSize: number; biasCorrection2Sqrt: number } {
  if (!Number.isInteger(o.step) || o.step < 1) throw new Error(`Adam step must be a 1-based integer, got ${o.step}`);
  return {
    stepSize: o.lr / (1 - o.beta1 ** o.step),
    biasCorrection2Sqrt: Math.sqrt(1 - o.beta2 ** o.step),
  };
}

export function adamStepCpu(n: number, o: AdamOptions, param: Float64Array, grad: Float64Array, m: Float64Array, v: Float64Array): void {
  const { stepSize, biasCorrection2Sqrt } = adamScalars(o);
  for (let i = 0; i < n; i++) {
    let g = grad[i]!;
    let p = param[i]!;
    if (o.weightDecay !== 0) {
      // AdamW shrinks the weight itself; Adam adds L2 to the gradient.
      if (o.decoupled) p *= 1 - o.lr * o.weightDecay;
      else g += o.weightDecay * p;
    }
    const mi = o.beta1 * m[i]! + (1 - o.beta1) * g;
    const vi = o.beta2 * v[i]! + (1 - o.beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] = p - (stepSize * mi) / (Math.sqrt(vi) / biasCorrection2Sqrt + o.eps);
  }
}
