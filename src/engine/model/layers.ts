// Layer constructors: the single place that fills PyTorch's defaults, checks argument ranges and
// fixes key order. Both parsers build layers through here, so the text and JSON forms cannot
// drift apart, and a hand-written ModelSpec can be re-canonicalised with canonicalLayer().
//
// Size arguments take an int or a pair, as PyTorch does; the result always holds pairs.

import { LayerValueError } from './errors';
import type {
  AdaptiveAvgPool2dLayer, AvgPool2dLayer, BatchNorm2dLayer, Conv2dLayer, ConvPadding, ConvPaddingMode, DropoutLayer,
  LayerSpec, LeakyReluLayer, LinearLayer, MaxPool2dLayer, ModelSpec, Pair, ResidualLayer,
} from './spec';
import { MODEL_FORMAT } from './spec';

export type SizeArg = number | readonly [number, number];

export interface Conv2dInit {
  out_channels: number;
  kernel_size: SizeArg;
  stride?: SizeArg;
  padding?: SizeArg | 'same' | 'valid';
  padding_mode?: ConvPaddingMode;
  dilation?: SizeArg;
  groups?: number;
  bias?: boolean;
}
export interface LinearInit { out_features: number; bias?: boolean }
export interface LeakyReluInit { negative_slope?: number }
export interface MaxPool2dInit {
  kernel_size: SizeArg;
  /** null or absent = kernel_size, like PyTorch's stride=None. */
  stride?: SizeArg | null;
  padding?: SizeArg;
  dilation?: SizeArg;
  ceil_mode?: boolean;
}
export interface AvgPool2dInit {
  kernel_size: SizeArg;
  stride?: SizeArg | null;
  padding?: SizeArg;
  ceil_mode?: boolean;
  count_include_pad?: boolean;
}
export interface AdaptiveAvgPool2dInit { output_size?: SizeArg }
export interface DropoutInit { p?: number }
export interface BatchNorm2dInit { eps?: number; momentum?: number; affine?: boolean }

export type LayerInit =
  | ({ type: 'conv2d' } & Conv2dInit)
  | ({ type: 'linear' } & LinearInit)
  | { type: 'relu' }
  | ({ type: 'leaky_relu' } & LeakyReluInit)
  | { type: 'sigmoid' | 'tanh' | 'gelu' | 'silu' }
  | ({ type: 'max_pool2d' } & MaxPool2dInit)
  | ({ type: 'avg_pool2d' } & AvgPool2dInit)
  | ({ type: 'adaptive_avg_pool2d' } & AdaptiveAvgPool2dInit)
  | { type: 'flatten' }
  | ({ type: 'dropout' } & DropoutInit)
  | ({ type: 'batch_norm2d' } & BatchNorm2dInit)
  | ResidualInit;

/** A residual block: its body and (absent or null: identity) its shortcut. */
export interface ResidualInit {
  type: 'residual';
  body: readonly (LayerInit | LayerSpec)[];
  shortcut?: readonly (LayerInit | LayerSpec)[] | null;
}

export const DEFAULTS = {
  leakyReluSlope: 0.01,
  dropoutP: 0.5,
  batchNormEps: 1e-5,
  batchNormMomentum: 0.1,
} as const;

function fail(message: string): never {
  throw new LayerValueError(message);
}

function show(v: unknown): string {
  return Array.isArray(v) ? `[${v.join(', ')}]` : JSON.stringify(v);
}

function positiveInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 1) fail(`${what} must be a positive integer, got ${show(v)}`);
  return v;
}

/** An int or a pair of ints, each at least `min`. */
function sizePair(v: SizeArg, what: string, min: number): Pair {
  const p: Pair = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  const ok = (x: number) => Number.isInteger(x) && x >= min;
  if (!ok(p[0]) || !ok(p[1])) {
    const bound = min === 0 ? 'a non-negative integer' : 'a positive integer';
    fail(`${what} must be ${bound} or a pair of them, got ${show(v)}`);
  }
  return p;
}

function finite(v: number, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${what} must be a finite number, got ${show(v)}`);
  return v;
}

function inRange(v: number, what: string, lo: number, hi: number): number {
  finite(v, what);
  if (v < lo || v > hi) fail(`${what} must be between ${lo} and ${hi}, got ${v}`);
  return v;
}

/**
 * 'same' pads d·(k−1) in total; when that is even the split is symmetric and equals a plain pair.
 * Only the asymmetric case (even dilated kernel) has to stay 'same'.
 */
function canonicalConvPadding(padding: SizeArg | 'same' | 'valid', kernel: Pair, dilation: Pair, stride: Pair): ConvPadding {
  if (padding === 'valid') return [0, 0];
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) {
      fail(`padding 'same' needs stride 1 (PyTorch refuses it for strided convolutions), got stride ${show(stride)}`);
    }
    const totalH = dilation[0] * (kernel[0] - 1);
    const totalW = dilation[1] * (kernel[1] - 1);
    return totalH % 2 === 0 && totalW % 2 === 0 ? [totalH / 2, totalW / 2] : 'same';
  }
  return sizePair(padding, 'padding', 0);
}

/** PyTorch's pool check: padding may be at most half the kernel, side by side. */
function poolPadding(v: SizeArg, kernel: Pair): Pair {
  const p = sizePair(v, 'padding', 0);
  if (p[0] > Math.floor(kernel[0] / 2) || p[1] > Math.floor(kernel[1] / 2)) {
    fail(`padding ${show(p)} must be at most half the kernel ${kernel[0]}×${kernel[1]}, as in PyTorch`);
  }
  return p;
}

export function conv2d(init: Conv2dInit): Conv2dLayer {
  const out_channels = positiveInt(init.out_channels, 'out_channels');
  const kernel_size = sizePair(init.kernel_size, 'kernel_size', 1);
  const stride = sizePair(init.stride ?? 1, 'stride', 1);
  const dilation = sizePair(init.dilation ?? 1, 'dilation', 1);
  const padding = canonicalConvPadding(init.padding ?? 0, kernel_size, dilation, stride);
  const groups = positiveInt(init.groups ?? 1, 'groups');
  if (out_channels % groups !== 0) fail(`out_channels (${out_channels}) must be divisible by groups (${groups})`);
  const bias = init.bias ?? true;
  const mode = init.padding_mode ?? 'zeros';
  if (!PADDING_MODES.includes(mode)) fail(`padding_mode must be one of ${PADDING_MODES.join(', ')} (PyTorch's), got ${show(mode)}`);
  // Only a non-default mode is stored (see spec.ts); its limits against the input size are shape checks.
  const padding_mode = mode === 'zeros' ? {} : { padding_mode: mode };
  return { type: 'conv2d', out_channels, kernel_size, stride, padding, ...padding_mode, dilation, groups, bias };
}

export const PADDING_MODES: readonly ConvPaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

export function linear(init: LinearInit): LinearLayer {
  return { type: 'linear', out_features: positiveInt(init.out_features, 'out_features'), bias: init.bias ?? true };
}

export function leakyRelu(init: LeakyReluInit = {}): LeakyReluLayer {
  return { type: 'leaky_relu', negative_slope: finite(init.negative_slope ?? DEFAULTS.leakyReluSlope, 'negative_slope') };
}

export function maxPool2d(init: MaxPool2dInit): MaxPool2dLayer {
  const kernel_size = sizePair(init.kernel_size, 'kernel_size', 1);
  const stride = init.stride == null ? kernel_size : sizePair(init.stride, 'stride', 1);
  const padding = poolPadding(init.padding ?? 0, kernel_size);
  const dilation = sizePair(init.dilation ?? 1, 'dilation', 1);
  return { type: 'max_pool2d', kernel_size, stride: [stride[0], stride[1]], padding, dilation, ceil_mode: init.ceil_mode ?? false };
}

export function avgPool2d(init: AvgPool2dInit): AvgPool2dLayer {
  const kernel_size = sizePair(init.kernel_size, 'kernel_size', 1);
  const stride = init.stride == null ? kernel_size : sizePair(init.stride, 'stride', 1);
  const padding = poolPadding(init.padding ?? 0, kernel_size);
  return {
    type: 'avg_pool2d', kernel_size, stride: [stride[0], stride[1]], padding,
    ceil_mode: init.ceil_mode ?? false, count_include_pad: init.count_include_pad ?? true,
  };
}

export function adaptiveAvgPool2d(init: AdaptiveAvgPool2dInit = {}): AdaptiveAvgPool2dLayer {
  const output_size = sizePair(init.output_size ?? 1, 'output_size', 1);
  if (output_size[0] !== 1 || output_size[1] !== 1) {
    fail(`output_size must be 1 (global average pooling, the only adaptive pool supported), got ${show(init.output_size)}`);
  }
  return { type: 'adaptive_avg_pool2d', output_size };
}

export function dropout(init: DropoutInit = {}): DropoutLayer {
  return { type: 'dropout', p: inRange(init.p ?? DEFAULTS.dropoutP, 'p', 0, 1) };
}

export function batchNorm2d(init: BatchNorm2dInit = {}): BatchNorm2dLayer {
  const eps = finite(init.eps ?? DEFAULTS.batchNormEps, 'eps');
  if (eps <= 0) fail(`eps must be greater than 0, got ${eps}`);
  return {
    type: 'batch_norm2d', eps,
    momentum: inRange(init.momentum ?? DEFAULTS.batchNormMomentum, 'momentum', 0, 1),
    affine: init.affine ?? true,
  };
}

export function residual(init: ResidualInit): ResidualLayer {
  if (init.body.length === 0) fail('a residual block needs at least one layer in its body');
  if (init.shortcut && init.shortcut.length === 0) fail('a residual shortcut needs at least one layer; leave it out for the identity');
  return { type: 'residual', body: init.body.map(buildLayer), shortcut: init.shortcut ? init.shortcut.map(buildLayer) : null };
}

/** Build (or re-canonicalise) any layer. */
export function buildLayer(init: LayerInit | LayerSpec): LayerSpec {
  switch (init.type) {
    case 'conv2d': return conv2d(init);
    case 'linear': return linear(init);
    case 'relu': return { type: 'relu' };
    case 'leaky_relu': return leakyRelu(init);
    case 'sigmoid': case 'tanh': case 'gelu': case 'silu': return { type: init.type };
    case 'max_pool2d': return maxPool2d(init);
    case 'avg_pool2d': return avgPool2d(init);
    case 'adaptive_avg_pool2d': return adaptiveAvgPool2d(init);
    case 'flatten': return { type: 'flatten' };
    case 'dropout': return dropout(init);
    case 'batch_norm2d': return batchNorm2d(init);
    case 'residual': return residual(init);
  }
}

/** A canonical ModelSpec from an input shape and layers (each re-canonicalised). */
export function buildModel(input: readonly number[], layers: readonly (LayerInit | LayerSpec)[]): ModelSpec {
  if (input.length !== 3 || !input.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new LayerValueError(`input must be [C, H, W] of positive integers, got ${show(input)}`);
  }
  if (layers.length === 0) throw new LayerValueError('a model needs at least one layer');
  return { format: MODEL_FORMAT, input: [input[0]!, input[1]!, input[2]!], layers: layers.map(buildLayer) };
}
