// Output-shape arithmetic of PyTorch's Conv2d and pools, shared by the case parser (to check
// grad_output and expected shapes) and by anything that has to allocate an output.

import type { ConvPadding, Pair } from './types';

/** Padding on each side of each spatial axis: before = top/left, after = bottom/right. */
export interface ResolvedPadding {
  before: Pair;
  after: Pair;
}

/**
 * 'same' needs d*(k-1) padding in total; when that is odd PyTorch puts the extra row/column after
 * (bottom/right), i.e. before = floor(total/2).
 */
export function resolveConvPadding(padding: ConvPadding, kernel: Pair, dilation: Pair): ResolvedPadding {
  if (padding === 'valid') return { before: [0, 0], after: [0, 0] };
  if (padding === 'same') {
    const total = [0, 1].map((i) => dilation[i]! * (kernel[i]! - 1));
    const before: Pair = [Math.floor(total[0]! / 2), Math.floor(total[1]! / 2)];
    return { before, after: [total[0]! - before[0], total[1]! - before[1]] };
  }
  return { before: [...padding.pair], after: [...padding.pair] };
}

/** floor((size + padTotal - d*(k-1) - 1) / s) + 1; may be <= 0 when the kernel does not fit. */
export function convOutputLength(size: number, kernel: number, stride: number, padTotal: number, dilation: number): number {
  return Math.floor((size + padTotal - dilation * (kernel - 1) - 1) / stride) + 1;
}

/**
 * PyTorch's pooling_output_shape. With ceil_mode a window that would start inside the right/bottom
 * padding is dropped, so ceil_mode never adds a window made only of padding.
 */
export function pooledLength(size: number, kernel: number, stride: number, padding: number, dilation: number, ceilMode: boolean): number {
  const span = size + 2 * padding - dilation * (kernel - 1) - 1;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= size + padding) out -= 1;
  return out;
}

function requireRank4(shape: readonly number[], what: string, axes: string): void {
  if (shape.length !== 4) {
    throw new RangeError(`${what} shape [${shape.join(',')}] must have 4 dimensions (${axes})`);
  }
}

function requirePositive(out: Pair, what: string): Pair {
  if (out[0] < 1 || out[1] < 1) {
    throw new RangeError(`output size would be ${out[0]}x${out[1]}: ${what}`);
  }
  return out;
}

/** [N, C, H, W] input and [O, C/groups, kh, kw] weight -> [N, O, Ho, Wo]. Throws RangeError if the kernel does not fit. */
export function conv2dOutputShape(
  inputShape: readonly number[],
  weightShape: readonly number[],
  attrs: { stride: Pair; padding: ConvPadding; dilation: Pair },
): number[] {
  requireRank4(inputShape, 'input', 'N, C, H, W');
  requireRank4(weightShape, 'weight', 'O, C/groups, kh, kw');
  const [n, , h, w] = inputShape as [number, number, number, number];
  const [o, , kh, kw] = weightShape as [number, number, number, number];
  const pad = resolveConvPadding(attrs.padding, [kh, kw], attrs.dilation);
  const out: Pair = [
    convOutputLength(h, kh, attrs.stride[0], pad.before[0] + pad.after[0], attrs.dilation[0]),
    convOutputLength(w, kw, attrs.stride[1], pad.before[1] + pad.after[1], attrs.dilation[1]),
  ];
  const effective = `${attrs.dilation[0] * (kh - 1) + 1}x${attrs.dilation[1] * (kw - 1) + 1}`;
  const padded = `${h + pad.before[0] + pad.after[0]}x${w + pad.before[1] + pad.after[1]}`;
  requirePositive(out, `the dilated kernel (${effective}) is larger than the padded input (${padded})`);
  return [n, o, out[0], out[1]];
}

/** [N, C, H, W] -> [N, C, Ho, Wo] for max_pool2d / avg_pool2d (avg has no dilation: pass 1 or omit). */
export function pool2dOutputShape(
  inputShape: readonly number[],
  attrs: { kernelSize: Pair; stride: Pair; padding: Pair; dilation?: Pair; ceilMode: boolean },
): number[] {
  requireRank4(inputShape, 'input', 'N, C, H, W');
  const [n, c, h, w] = inputShape as [number, number, number, number];
  const dilation = attrs.dilation ?? [1, 1];
  const out: Pair = [
    pooledLength(h, attrs.kernelSize[0], attrs.stride[0], attrs.padding[0], dilation[0], attrs.ceilMode),
    pooledLength(w, attrs.kernelSize[1], attrs.stride[1], attrs.padding[1], dilation[1], attrs.ceilMode),
  ];
  const effective = `${dilation[0] * (attrs.kernelSize[0] - 1) + 1}x${dilation[1] * (attrs.kernelSize[1] - 1) + 1}`;
  const padded = `${h + 2 * attrs.padding[0]}x${w + 2 * attrs.padding[1]}`;
  requirePositive(out, `the dilated window (${effective}) is larger than the padded input (${padded})`);
  return [n, c, out[0], out[1]];
}
