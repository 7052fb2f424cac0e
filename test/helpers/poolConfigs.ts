// Pool geometries covering PyTorch's MaxPool2d/AvgPool2d semantics: default stride, padding,
// ceil_mode (a partial last window, and a last window dropped because it would start in the
// padding), dilation, non-square everything, stride != kernel, count_include_pad on and off.
// Small on purpose: the GPU tier runs on SwiftShader.

import type { Pool2dOptions } from '../../src/engine/pool/geometry';

export interface PoolConfig {
  name: string;
  input: [number, number, number, number];
  options: Pool2dOptions;
  /** Avg pool has no dilation; configs with dilation are max-only. */
  maxOnly?: boolean;
}

export const POOL_CONFIGS: PoolConfig[] = [
  { name: '2×2 default stride', input: [2, 3, 6, 6], options: { kernelSize: 2 } },
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
