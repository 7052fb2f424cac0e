// ReLU and LeakyReLU in float64: twins of kernels/relu.wgsl and kernels/leaky_relu.wgsl.
// Elementwise over the first n values, so any tensor shape works.
//
// NaN follows PyTorch: relu(NaN) = NaN (clamp_min keeps x unless x < 0), leaky_relu(NaN) = NaN.

export function reluCpu(n: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    y[i] = v < 0 ? 0 : v;
  }
}

/** PyTorch's threshold_backward on the output: dX = 0 where y <= 0, else dY. Using y (not x)
 *  lets the forward run in place, as nn.ReLU(inplace=True) does. */
export function reluBackwardCpu(n: number, y: Float64Array, dY: Float64Array, dX: Float64Array): void {
  for (let i = 0; i < n; i++) dX[i] = y[i]! <= 0 ? 0 : dY[i]!;
}

export function leakyReluCpu(n: number, slope: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    y[i] = v > 0 ? v : v * slope;
  }
}

/** dX = dY where x > 0, slope · dY elsewhere (PyTorch's leaky_relu_backward, which reads the input). */
export function leakyReluBackwardCpu(n: number, slope: number, x: Float64Array, dY: Float64Array, dX: Float64Array): void {
  for (let i = 0; i < n; i++) dX[i] = x[i]! > 0 ? dY[i]! : dY[i]! * slope;
}
