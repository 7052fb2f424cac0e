// Pool geometries covering PyTorch's MaxPool2d/AvgPool2d semantics: default stride, padding,
// ceil_mode (a partial last window, and a last window dropped because it would start in the
// padding), dilation, non-square everything, stride != kernel, count_include_pad on and off.
// Small on purpose: the GPU tier runs on SwiftShader. Some geometries have windows that tile the
// input exactly (the GPU's tiled kernels), 2×2 and otherwise; the rest take the general kernels.

import type { Pool2dOptions } from '../../src/engine/pool/geometry';
import { seeded } from './random';

export interface PoolConfig {
  name: string;
  input: [number, number, number, number];
  options: Pool2dOptions;
  /** Avg pool has no dilation; configs with dilation are max-only. */
  maxOnly?: boolean;
}

export const POOL_CONFIGS: PoolConfig[] = [
  { name: '2×2 default stride', input: [2, 3, 6, 6], options: { kernelSize: 2 } },
  { name: '3×3 windows tiling the input', input: [1, 2, 9, 6], options: { kernelSize: 3 } },
  { name: '2×3 windows tiling the input', input: [2, 2, 4, 9], options: { kernelSize: [2, 3] } },
  { name: '2×2 on an odd plane (last row and column unused)', input: [1, 2, 7, 5], options: { kernelSize: 2 } },
  { name: '3×3 stride 2 pad 1', input: [1, 2, 7, 7], options: { kernelSize: 3, stride: 2, padding: 1 } },
  { name: 'ceil_mode partial window', input: [1, 2, 5, 5], options: { kernelSize: 2, stride: 2, ceilMode: true } },
  { name: 'ceil_mode drops a window in the padding', input: [1, 2, 5, 5], options: { kernelSize: 3, stride: 3, padding: 1, ceilMode: true } },
  { name: 'ceil_mode pad 1, exclude pad', input: [1, 2, 6, 5], options: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false } },
  { name: 'non-square kernel, stride, padding', input: [2, 1, 6, 9], options: { kernelSize: [2, 3], stride: [1, 2], padding: [1, 0] } },
  { name: 'stride larger than kernel', input: [1, 2, 9, 8], options: { kernelSize: 2, stride: [3, 4] } },
  { name: 'overlapping 3×2 stride 1, pad (1, 1)', input: [1, 3, 5, 4], options: { kernelSize: [3, 2], stride: 1, padding: 1, countIncludePad: false } },
  { name: 'dilation 2, pad 1', input: [1, 2, 8, 7], options: { kernelSize: 3, stride: 1, padding: 1, dilation: 2 }, maxOnly: true },
  { name: 'ceil_mode, dilation (2, 3), stride 3', input: [1, 1, 9, 10], options: { kernelSize: 2, stride: 3, padding: 1, dilation: [2, 3], ceilMode: true }, maxOnly: true },
];

/** Input for the fused ReLU + max pool checks: halves in [−1, 1] (many ties, and windows whose
 *  maximum is 0 or negative), −0 (from rounding and on purpose), −inf and NaN sprinkled in, and
 *  the second half shifted below zero so that whole windows are negative. f32-exact values. */
export function reluPoolInput(length: number, seed: number): Float64Array {
  const next = seeded(seed);
  const x = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const r = next();
    if (r < 0.03) x[i] = Number.NaN;
    else if (r < 0.09) x[i] = -0;
    else if (r < 0.12) x[i] = -Infinity;
    else x[i] = Math.round((next() * 2 - 1) * 2) / 2 - (i >= length / 2 ? 1.5 : 0);
  }
  return x;
}
