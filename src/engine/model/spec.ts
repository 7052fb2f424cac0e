// The model spec: an nn.Sequential described as data; a residual block holds layer lists of its
// own, so the spec is a tree.
//
// Field names and defaults are PyTorch's (nn.Conv2d, nn.Linear, F.max_pool2d, ...) so that a spec
// reads like the Python it mirrors and a checkpoint's state_dict names line up. A ModelSpec value
// is always canonical: every default filled in, every size argument a [h, w] pair, keys in the
// order of the interfaces below. layers.ts is the only place that builds layer objects.

export const MODEL_FORMAT = 'convlab-model/1';

export type Pair = [number, number];

/**
 * Canonical conv padding: a pair, or 'same' only where PyTorch pads asymmetrically (an even
 * dilated kernel). 'valid' and a symmetric 'same' are rewritten to the equal pair, so two
 * models that compute the same thing serialise the same.
 */
export type ConvPadding = Pair | 'same';

/** nn.Conv2d's padding_mode; 'zeros' (the default) is never stored, so a model written before
 *  padding modes existed keeps its canonical bytes. */
export type ConvPaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

export interface Conv2dLayer {
  type: 'conv2d';
  out_channels: number;
  kernel_size: Pair;
  stride: Pair;
  padding: ConvPadding;
  /** Present only when not 'zeros'. */
  padding_mode?: Exclude<ConvPaddingMode, 'zeros'>;
  dilation: Pair;
  groups: number;
  bias: boolean;
}

/** in_features is not stored: it follows from the input and the layers before it. */
export interface LinearLayer {
  type: 'linear';
  out_features: number;
  bias: boolean;
}

export interface ReluLayer {
  type: 'relu';
}

export interface LeakyReluLayer {
  type: 'leaky_relu';
  negative_slope: number;
}

export interface MaxPool2dLayer {
  type: 'max_pool2d';
  kernel_size: Pair;
  stride: Pair;
  padding: Pair;
  dilation: Pair;
  ceil_mode: boolean;
}

export interface AvgPool2dLayer {
  type: 'avg_pool2d';
  kernel_size: Pair;
  stride: Pair;
  padding: Pair;
  ceil_mode: boolean;
  count_include_pad: boolean;
}

/** nn.Sigmoid(), nn.Tanh(), nn.GELU() (approximate='none', the exact erf form) and nn.SiLU(). */
export interface SmoothActivationLayer {
  type: 'sigmoid' | 'tanh' | 'gelu' | 'silu';
}

/** nn.AdaptiveAvgPool2d(output_size): only output_size [1, 1] (global average pooling). It keeps
 *  the (N, C, 1, 1) shape, as in PyTorch: a flatten follows it before a linear layer. */
export interface AdaptiveAvgPool2dLayer {
  type: 'adaptive_avg_pool2d';
  output_size: Pair;
}

/** nn.Flatten() with its defaults (start_dim=1): everything but the batch becomes one axis. */
export interface FlattenLayer {
  type: 'flatten';
}

export interface DropoutLayer {
  type: 'dropout';
  p: number;
}

/** num_features is not stored: it is the channel count of the input. */
export interface BatchNorm2dLayer {
  type: 'batch_norm2d';
  eps: number;
  momentum: number;
  affine: boolean;
}

/** out = body(x) + shortcut(x): the documented `Residual(body, shortcut)` module (nn/residual.ts,
 *  docs/formats/model-spec.md). shortcut null is the identity; shapes of both must match. */
export interface ResidualLayer {
  type: 'residual';
  body: LayerSpec[];
  shortcut: LayerSpec[] | null;
}

export type LayerSpec =
  | Conv2dLayer
  | LinearLayer
  | ReluLayer
  | LeakyReluLayer
  | SmoothActivationLayer
  | MaxPool2dLayer
  | AvgPool2dLayer
  | AdaptiveAvgPool2dLayer
  | FlattenLayer
  | DropoutLayer
  | BatchNorm2dLayer
  | ResidualLayer;

export type LayerType = LayerSpec['type'];

export const LAYER_TYPES: readonly LayerType[] = [
  'conv2d', 'linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'gelu', 'silu', 'max_pool2d', 'avg_pool2d',
  'adaptive_avg_pool2d', 'flatten', 'dropout', 'batch_norm2d', 'residual',
];

/** Per-sample input shape [C, H, W], as a dataset describes its images. */
export type InputShape = [number, number, number];

export interface ModelSpec {
  format: typeof MODEL_FORMAT;
  input: InputShape;
  layers: LayerSpec[];
}
