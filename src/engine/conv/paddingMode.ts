// Conv2d's padding_mode 'reflect', 'replicate' and 'circular', the way PyTorch runs them: pad the
// input with the mode (F.pad), then convolve the padded input with zero padding 0
// (nn.Conv2d._conv_forward does exactly this). So the conv algorithms and the
// im2col/GEMM story stay as they are — columns = im2col(pad(x)) — and the backward is the
// conv's backward followed by pad2d's adjoint, which sums each border cell's gradient back
// onto the input cell it copied.
//
// padSource is the one definition of which input cell a padded cell copies; the CPU twins, the
// WGSL kernels (kernels/common/pad_params.wgsl) and the tests follow it.

import type { Pad2dGeometry, PaddingMode } from '../backend';
import { type Conv2dGeometry, ConvShapeError } from './geometry';

export const PADDING_MODES: readonly PaddingMode[] = ['reflect', 'replicate', 'circular'];

/** The input index that padded index q copies, on an axis of `size` cells with `before` cells of
 *  padding in front. reflect mirrors without repeating the edge (… 2 1 | 0 1 2 … ), replicate
 *  repeats the edge, circular wraps around. */
export function padSource(q: number, size: number, before: number, mode: PaddingMode): number {
  const i = q - before;
  switch (mode) {
    case 'reflect':
      return i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i;
    case 'replicate':
      return Math.min(Math.max(i, 0), size - 1);
    case 'circular':
      return ((i % size) + size) % size;
  }
}

/** PyTorch's limits: reflect needs padding < size (one reflection), circular padding ≤ size (one
 *  wrap); replicate has none. The message names the axis and what to change. */
export function checkPadding(mode: PaddingMode, size: number, before: number, after: number, axis: 'height' | 'width'): void {
  const pad = Math.max(before, after);
  if (mode === 'reflect' && pad >= size) {
    throw new ConvShapeError(`padding_mode 'reflect' needs padding < the input ${axis} (${size}), got ${pad}: PyTorch refuses it too; use less padding or 'replicate'`);
  }
  if (mode === 'circular' && pad > size) {
    throw new ConvShapeError(`padding_mode 'circular' needs padding <= the input ${axis} (${size}), got ${pad}: it would wrap around more than once (PyTorch refuses it too)`);
  }
}

/** A conv with a padding mode as pad2d + the same conv with zero padding on the padded input. */
export function splitPaddedConv(g: Conv2dGeometry, mode: PaddingMode): { pad: Pad2dGeometry; conv: Conv2dGeometry } {
  checkPadding(mode, g.inHeight, g.padTop, g.padBottom, 'height');
  checkPadding(mode, g.inWidth, g.padLeft, g.padRight, 'width');
  const pad: Pad2dGeometry = {
    mode, planes: g.batch * g.inChannels, height: g.inHeight, width: g.inWidth,
    top: g.padTop, bottom: g.padBottom, left: g.padLeft, right: g.padRight,
  };
  const conv: Conv2dGeometry = {
    ...g, inHeight: paddedHeight(pad), inWidth: paddedWidth(pad), padTop: 0, padLeft: 0, padBottom: 0, padRight: 0,
  };
  return { pad, conv };
}

export const paddedHeight = (g: Pad2dGeometry): number => g.height + g.top + g.bottom;
export const paddedWidth = (g: Pad2dGeometry): number => g.width + g.left + g.right;
export const paddedElements = (g: Pad2dGeometry): number => g.planes * paddedHeight(g) * paddedWidth(g);
export const unpaddedElements = (g: Pad2dGeometry): number => g.planes * g.height * g.width;
