// Pool2d geometry: PyTorch's MaxPool2d / AvgPool2d arguments resolved into the numbers every pool
// kernel needs, with PyTorch's checks and its output-size rule (ATen's pooling_output_shape).
//
// Padding is symmetric for pools (no 'same'), so one value per axis is enough. ceil_mode rounds
// the window count up, but a last window that would start inside the right/bottom padding is
// dropped: PyTorch never produces a window made only of padding.

export interface Pool2dOptions {
  kernelSize: number | readonly [number, number];
  /** Defaults to kernelSize, as in PyTorch. */
  stride?: number | readonly [number, number];
  padding?: number | readonly [number, number];
  /** Max pool only; avg pool requires 1. */
  dilation?: number | readonly [number, number];
  ceilMode?: boolean;
  /** Avg pool only (PyTorch's default true): padded cells count in the divisor. */
  countIncludePad?: boolean;
}

export interface Pool2dGeometry {
  batch: number;
  channels: number;
  inHeight: number;
  inWidth: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
  ceilMode: boolean;
  countIncludePad: boolean;
  outHeight: number;
  outWidth: number;
}

export class PoolShapeError extends Error {
  override name = 'PoolShapeError';
}

function pair(v: number | readonly [number, number], what: string): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!Number.isInteger(p[0]) || !Number.isInteger(p[1])) {
    throw new PoolShapeError(`${what} must be an integer or a pair of integers, got ${JSON.stringify(v)}`);
  }
  return p;
}

/** Output length along one axis: floor or ceil of (size + 2p − d(k−1) − 1)/s, plus 1, minus a
 *  ceil-mode window that would start at or beyond size + p (entirely in the far padding). */
export function pooledSize(size: number, kernel: number, stride: number, pad: number, dilation: number, ceilMode: boolean): number {
  const span = size + 2 * pad - dilation * (kernel - 1) - 1;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out -= 1;
  return out;
}

/** Resolve pool options for an input (N, C, H, W). */
export function pool2dGeometry(inputShape: readonly number[], options: Pool2dOptions): Pool2dGeometry {
  if (inputShape.length !== 4 || !inputShape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new PoolShapeError(`pool2d input must be 4-D (N, C, H, W) with non-negative integer sizes, got [${inputShape.join(', ')}]`);
  }
  const [batch, channels, inHeight, inWidth] = inputShape as [number, number, number, number];
  const [kernelH, kernelW] = pair(options.kernelSize, 'kernel_size');
  const [strideH, strideW] = pair(options.stride ?? options.kernelSize, 'stride');
  const [padH, padW] = pair(options.padding ?? 0, 'padding');
  const [dilationH, dilationW] = pair(options.dilation ?? 1, 'dilation');
  const ceilMode = options.ceilMode ?? false;
  const countIncludePad = options.countIncludePad ?? true;

  // The same checks, in the same order, as ATen's pool2d_shape_check.
  if (kernelH < 1 || kernelW < 1) throw new PoolShapeError(`kernel_size must be >= 1, got [${kernelH}, ${kernelW}]`);
  if (strideH < 1 || strideW < 1) throw new PoolShapeError(`stride must be >= 1, got [${strideH}, ${strideW}]`);
  if (dilationH < 1 || dilationW < 1) throw new PoolShapeError(`dilation must be >= 1, got [${dilationH}, ${dilationW}]`);
  if (padH < 0 || padW < 0) throw new PoolShapeError(`padding must be >= 0, got [${padH}, ${padW}]`);
  // Keeps every window overlapping the input, so no output is a max or mean of padding alone.
  if (padH > Math.floor(kernelH / 2) || padW > Math.floor(kernelW / 2)) {
    throw new PoolShapeError(
      `padding [${padH}, ${padW}] must be at most half of kernel_size [${kernelH}, ${kernelW}] (PyTorch's rule); lower the padding or enlarge the kernel`,
    );
  }

  const outHeight = pooledSize(inHeight, kernelH, strideH, padH, dilationH, ceilMode);
  const outWidth = pooledSize(inWidth, kernelW, strideW, padW, dilationW, ceilMode);
  if (outHeight < 1 || outWidth < 1) {
    const spanH = dilationH * (kernelH - 1) + 1;
    const spanW = dilationW * (kernelW - 1) + 1;
    throw new PoolShapeError(
      `pool output would be ${outHeight}×${outWidth}: the window (dilated span ${spanH}×${spanW}) is larger than the padded input ${inHeight + 2 * padH}×${inWidth + 2 * padW}`,
    );
  }
  return {
    batch, channels, inHeight, inWidth, kernelH, kernelW, strideH, strideW, padH, padW,
    dilationH, dilationW, ceilMode, countIncludePad, outHeight, outWidth,
  };
}

export const poolInputElements = (g: Pool2dGeometry): number => g.batch * g.channels * g.inHeight * g.inWidth;
export const poolOutputElements = (g: Pool2dGeometry): number => g.batch * g.channels * g.outHeight * g.outWidth;

/** Avg pool's divisor for the window that starts at (h0, w0) in unpadded coordinates. With
 *  count_include_pad it counts padded cells, but only up to the padded border: the part of a
 *  ceil-mode window that hangs beyond it never counts. Without it, only cells of the input. */
export function avgPoolDivisor(g: Pool2dGeometry, h0: number, w0: number): number {
  const h1 = Math.min(h0 + g.kernelH, g.inHeight + g.padH);
  const w1 = Math.min(w0 + g.kernelW, g.inWidth + g.padW);
  if (g.countIncludePad) return (h1 - h0) * (w1 - w0);
  return (Math.min(h1, g.inHeight) - Math.max(h0, 0)) * (Math.min(w1, g.inWidth) - Math.max(w0, 0));
}

/** AdaptiveAvgPool2d(1) of an (N, C, H, W) input: one window covering the whole plane. */
export function globalPoolGeometry(inputShape: readonly number[]): Pool2dGeometry {
  if (inputShape.length !== 4 || inputShape[2]! < 1 || inputShape[3]! < 1) {
    throw new PoolShapeError(`adaptive_avg_pool2d needs a (N, C, H, W) input with H, W >= 1, got [${inputShape.join(', ')}]`);
  }
  const plane: [number, number] = [inputShape[2]!, inputShape[3]!];
  return pool2dGeometry(inputShape, { kernelSize: plane, stride: plane, padding: 0, ceilMode: false, countIncludePad: true });
}
