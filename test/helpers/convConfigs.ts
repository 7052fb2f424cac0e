// Convolution configurations covering PyTorch's Conv2d semantics: stride, int/pair/'same'/'valid'
// padding (even kernels too), dilation, groups, depthwise, no bias, non-square everything.

import type { Conv2dOptions } from '../../src/engine/conv/geometry';

export interface ConvConfig {
  name: string;
  input: [number, number, number, number];
  weight: [number, number, number, number];
  options: Conv2dOptions;
  bias: boolean;
}

export const CONV_CONFIGS: ConvConfig[] = [
  { name: 'worked example 3×9×9, ten 3×3, stride 3', input: [1, 3, 9, 9], weight: [10, 3, 3, 3], options: { stride: 3 }, bias: true },
  { name: 'batch 3, pad 1', input: [3, 2, 6, 5], weight: [4, 2, 3, 3], options: { padding: 1 }, bias: true },
  { name: 'pair padding, non-square stride', input: [2, 3, 7, 8], weight: [5, 3, 3, 2], options: { stride: [2, 1], padding: [1, 2] }, bias: true },
  { name: "'same' even kernel 2×2", input: [2, 2, 5, 6], weight: [3, 2, 2, 2], options: { padding: 'same' }, bias: true },
  { name: "'same' 4×3 dilation 2", input: [1, 2, 7, 6], weight: [2, 2, 4, 3], options: { padding: 'same', dilation: 2 }, bias: false },
  { name: "'valid'", input: [2, 1, 6, 6], weight: [2, 1, 3, 3], options: { padding: 'valid' }, bias: true },
  { name: 'dilation (2,3)', input: [1, 2, 9, 10], weight: [3, 2, 3, 3], options: { dilation: [2, 3], padding: 1 }, bias: true },
  { name: 'groups 2', input: [2, 4, 5, 5], weight: [6, 2, 3, 3], options: { groups: 2, padding: 1 }, bias: true },
  { name: 'depthwise', input: [2, 3, 6, 5], weight: [6, 1, 3, 3], options: { groups: 3, padding: 1, stride: 2 }, bias: true },
  { name: 'no bias, 1×1', input: [2, 4, 3, 5], weight: [3, 4, 1, 1], options: {}, bias: false },
  { name: 'stride larger than kernel', input: [1, 2, 11, 9], weight: [2, 2, 2, 2], options: { stride: [4, 3] }, bias: true },
  { name: 'kernel as large as padded input', input: [2, 1, 3, 4], weight: [2, 1, 5, 6], options: { padding: 1 }, bias: true },
];
