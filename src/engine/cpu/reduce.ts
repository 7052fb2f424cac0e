// Small reductions and elementwise ops in float64: the CPU twins of kernels/sum_squares.wgsl,
// kernels/fill.wgsl and kernels/axpy.wgsl.

export function sumSquaresCpu(n: number, x: Float64Array, out: Float64Array, outIndex: number): void {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]! * x[i]!;
  out[outIndex] = sum;
}

export function fillCpu(n: number, value: number, x: Float64Array): void {
  x.fill(value, 0, n);
}

/** y += alpha · x */
export function scaleAddCpu(n: number, alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < n; i++) y[i] = y[i]! + alpha * x[i]!;
}
