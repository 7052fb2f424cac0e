// Conv2d geometry: PyTorch's nn.Conv2d arguments resolved into the numbers every kernel needs.
//
// Padding is kept as four sides because padding='same' with an even effective kernel is
// asymmetric in PyTorch: the total d·(k−1) is split as floor(total/2) before and the rest after
// (ATen pads the extra row/column on the bottom/right). im2col only needs top/left; the
// bottom/right values only change the output size.

export type PaddingArg = number | readonly [number, number] | 'same' | 'valid';

export interface Conv2dOptions {
  stride?: number | readonly [number, number];
  padding?: PaddingArg;
  dilation?: number | readonly [number, number];
  groups?: number;
}

export interface Conv2dGeometry {
  batch: number;
  inChannels: number;
  inHeight: number;
  inWidth: number;
  outChannels: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
  dilationH: number;
  dilationW: number;
  groups: number;
  outHeight: number;
  outWidth: number;
}

export class ConvShapeError extends Error {
  override name = 'ConvShapeError';
}

export function pair(v: number | readonly [number, number], what: string): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!Number.isInteger(p[0]) || !Number.isInteger(p[1])) {
    throw new ConvShapeError(`${what} must be an integer or a pair of integers, got ${JSON.stringify(v)}`);
  }
  return p;
}

/** Resolve Conv2d options for an input (N, C, H, W) and a weight (O, C/groups, kh, kw). */
export function conv2dGeometry(
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: Conv2dOptions = {},
): Conv2dGeometry {
  if (inputShape.length !== 4) throw new ConvShapeError(`conv2d input must be 4-D (N, C, H, W), got [${inputShape.join(', ')}]`);
  if (weightShape.length !== 4) throw new ConvShapeError(`conv2d weight must be 4-D (O, C/groups, kh, kw), got [${weightShape.join(', ')}]`);
  const [batch, inChannels, inHeight, inWidth] = inputShape as [number, number, number, number];
  const [outChannels, channelsPerGroup, kernelH, kernelW] = weightShape as [number, number, number, number];
  const groups = options.groups ?? 1;
  const [strideH, strideW] = pair(options.stride ?? 1, 'stride');
  const [dilationH, dilationW] = pair(options.dilation ?? 1, 'dilation');

  if (!Number.isInteger(groups) || groups < 1) throw new ConvShapeError(`groups must be a positive integer, got ${groups}`);
  if (strideH < 1 || strideW < 1) throw new ConvShapeError(`stride must be >= 1, got [${strideH}, ${strideW}]`);
  if (dilationH < 1 || dilationW < 1) throw new ConvShapeError(`dilation must be >= 1, got [${dilationH}, ${dilationW}]`);
  if (inChannels % groups !== 0) throw new ConvShapeError(`in_channels (${inChannels}) must be divisible by groups (${groups})`);
  if (outChannels % groups !== 0) throw new ConvShapeError(`out_channels (${outChannels}) must be divisible by groups (${groups})`);
  if (channelsPerGroup * groups !== inChannels) {
    throw new ConvShapeError(
      `weight expects ${channelsPerGroup * groups} input channels (${channelsPerGroup} per group × ${groups} groups) but the input has ${inChannels}`,
    );
  }

  const padding = options.padding ?? 0;
  let padTop: number, padBottom: number, padLeft: number, padRight: number;
  if (padding === 'valid') {
    padTop = padBottom = padLeft = padRight = 0;
  } else if (padding === 'same') {
    if (strideH !== 1 || strideW !== 1) throw new ConvShapeError(`padding='same' is not supported for strided convolutions (stride [${strideH}, ${strideW}]), as in PyTorch`);
    const totalH = dilationH * (kernelH - 1);
    const totalW = dilationW * (kernelW - 1);
    padTop = Math.floor(totalH / 2);
    padBottom = totalH - padTop;
    padLeft = Math.floor(totalW / 2);
    padRight = totalW - padLeft;
  } else {
    const [ph, pw] = pair(padding, 'padding');
    if (ph < 0 || pw < 0) throw new ConvShapeError(`padding must be >= 0, got [${ph}, ${pw}]`);
    padTop = padBottom = ph;
    padLeft = padRight = pw;
  }

  const spanH = dilationH * (kernelH - 1) + 1;
  const spanW = dilationW * (kernelW - 1) + 1;
  const paddedH = inHeight + padTop + padBottom;
  const paddedW = inWidth + padLeft + padRight;
  if (spanH > paddedH || spanW > paddedW) {
    throw new ConvShapeError(
      `kernel ${kernelH}×${kernelW} (dilated span ${spanH}×${spanW}) is larger than the padded input ${paddedH}×${paddedW}`,
    );
  }
  const outHeight = Math.floor((paddedH - spanH) / strideH) + 1;
  const outWidth = Math.floor((paddedW - spanW) / strideW) + 1;

  return {
    batch, inChannels, inHeight, inWidth, outChannels, kernelH, kernelW, strideH, strideW,
    padTop, padLeft, padBottom, padRight, dilationH, dilationW, groups, outHeight, outWidth,
  };
}

/** Pixels per output map: the N of the forward GEMM. */
export const outputPixels = (g: Conv2dGeometry): number => g.outHeight * g.outWidth;
/** Rows of one group's slice of the column matrix: (C/groups)·kh·kw, the K of the forward GEMM. */
export const columnRowsPerGroup = (g: Conv2dGeometry): number => (g.inChannels / g.groups) * g.kernelH * g.kernelW;
/** Rows of the whole column matrix of one sample: C·kh·kw. */
export const columnRows = (g: Conv2dGeometry): number => g.inChannels * g.kernelH * g.kernelW;
/** Elements of the batched column matrix (N, C·kh·kw, Ho·Wo). */
export const columnElements = (g: Conv2dGeometry): number => g.batch * columnRows(g) * outputPixels(g);
export const inputElements = (g: Conv2dGeometry): number => g.batch * g.inChannels * g.inHeight * g.inWidth;
export const outputElements = (g: Conv2dGeometry): number => g.batch * g.outChannels * outputPixels(g);
export const weightElements = (g: Conv2dGeometry): number => g.outChannels * columnRowsPerGroup(g);
export const outputShape = (g: Conv2dGeometry): [number, number, number, number] => [g.batch, g.outChannels, g.outHeight, g.outWidth];
