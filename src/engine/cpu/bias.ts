// Bias add and bias-gradient reduction in float64: twins of kernels/bias_add.wgsl and
// kernels/bias_grad.wgsl. Both see the tensor as (N, C, L) with L = H·W (or 1 for Linear).

export function biasAddCpu(n: number, c: number, l: number, bias: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const base = (i * c + ch) * l;
      for (let p = 0; p < l; p++) out[base + p] += bias[ch]!;
    }
  }
}

/** dBias[c] = Σ_{n,l} dOut[n,c,l], added to dBias when accumulate (accGradParameters). */
export function biasGradCpu(n: number, c: number, l: number, dOut: Float64Array, dBias: Float64Array, accumulate: boolean): void {
  for (let ch = 0; ch < c; ch++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const base = (i * c + ch) * l;
      for (let p = 0; p < l; p++) sum += dOut[base + p]!;
    }
    dBias[ch] = accumulate ? dBias[ch]! + sum : sum;
  }
}
