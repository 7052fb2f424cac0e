// The parsed, normalised form of a `convlab-cases/1` file (docs/formats/cases.md). The JSON spells
// attributes the PyTorch way (snake_case, an int or a pair); everything here is already resolved to
// explicit pairs with PyTorch's defaults filled in, so consumers never re-implement the leniency.

export const CASE_FORMAT = 'convlab-cases/1';

export const SUPPORTED_OPS = [
  'conv2d', 'max_pool2d', 'avg_pool2d', 'adaptive_avg_pool2d', 'linear', 'cross_entropy', 'activation', 'batch_norm2d',
] as const;
export type CaseOp = (typeof SUPPORTED_OPS)[number];

/** [height, width] */
export type Pair = [number, number];

/** Row-major (NCHW for images) float64 copy of a JSON tensor. */
export interface CaseTensor {
  shape: number[];
  data: Float64Array;
}

export interface Tolerance {
  atol: number;
  rtol: number;
}

export const DEFAULT_TOLERANCE: Readonly<Tolerance> = { atol: 1e-4, rtol: 1e-4 };

/** 'same' pads d*(k-1) in total, the smaller half before (PyTorch); 'valid' pads nothing. */
export type ConvPadding = { kind: 'explicit'; pair: Pair } | 'same' | 'valid';

/** nn.Conv2d's padding_mode: what the padding holds. */
export type CasePaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

export interface Conv2dAttrs {
  stride: Pair;
  padding: ConvPadding;
  paddingMode: CasePaddingMode;
  dilation: Pair;
  groups: number;
}

export interface MaxPool2dAttrs {
  kernelSize: Pair;
  stride: Pair;
  padding: Pair;
  dilation: Pair;
  ceilMode: boolean;
}

export interface AvgPool2dAttrs {
  kernelSize: Pair;
  stride: Pair;
  padding: Pair;
  ceilMode: boolean;
  countIncludePad: boolean;
}

/** Only output_size 1 (global average pooling). */
export interface AdaptiveAvgPool2dAttrs {
  outputSize: Pair;
}

export type LinearAttrs = Record<string, never>;

export interface CrossEntropyAttrs {
  reduction: 'mean';
  /** PyTorch's label_smoothing ε in [0, 1]; 0 when absent. */
  labelSmoothing: number;
}

export const ACTIVATION_KINDS = ['relu', 'leaky_relu', 'sigmoid', 'tanh', 'gelu', 'silu'] as const;
export type ActivationKind = (typeof ACTIVATION_KINDS)[number];

export interface ActivationAttrs {
  kind: ActivationKind;
  /** leaky_relu only (PyTorch's default 0.01). */
  negativeSlope: number;
}

export interface BatchNorm2dAttrs {
  training: boolean;
  momentum: number;
  eps: number;
}

interface CaseBase {
  kind: 'case';
  /** 0-based position in the file's `cases` array. */
  index: number;
  name: string;
  tolerance: Tolerance;
}

export interface Conv2dCase extends CaseBase {
  op: 'conv2d';
  attrs: Conv2dAttrs;
  inputs: { input: CaseTensor; weight: CaseTensor; bias?: CaseTensor };
  gradOutput?: CaseTensor;
  expected: { output?: CaseTensor; gradInput?: CaseTensor; gradWeight?: CaseTensor; gradBias?: CaseTensor };
}

export interface MaxPool2dCase extends CaseBase {
  op: 'max_pool2d';
  attrs: MaxPool2dAttrs;
  inputs: { input: CaseTensor };
  gradOutput?: CaseTensor;
  expected: { output?: CaseTensor; gradInput?: CaseTensor };
}

export interface AvgPool2dCase extends CaseBase {
  op: 'avg_pool2d';
  attrs: AvgPool2dAttrs;
  inputs: { input: CaseTensor };
  gradOutput?: CaseTensor;
  expected: { output?: CaseTensor; gradInput?: CaseTensor };
}

export interface AdaptiveAvgPool2dCase extends CaseBase {
  op: 'adaptive_avg_pool2d';
  attrs: AdaptiveAvgPool2dAttrs;
  inputs: { input: CaseTensor };
  gradOutput?: CaseTensor;
  expected: { output?: CaseTensor; gradInput?: CaseTensor };
}

export interface ActivationCase extends CaseBase {
  op: 'activation';
  attrs: ActivationAttrs;
  inputs: { input: CaseTensor };
  gradOutput?: CaseTensor;
  expected: { output?: CaseTensor; gradInput?: CaseTensor };
}

/** F.batch_norm on (N, C, H, W). weight and bias are optional (1 and 0 when absent, as with
 *  affine=False); running_mean and running_var are required in eval and optional in training,
 *  where the expected ones are the buffers after the call. */
export interface BatchNorm2dCase extends CaseBase {
  op: 'batch_norm2d';
  attrs: BatchNorm2dAttrs;
  inputs: { input: CaseTensor; weight?: CaseTensor; bias?: CaseTensor; runningMean?: CaseTensor; runningVar?: CaseTensor };
  gradOutput?: CaseTensor;
  expected: {
    output?: CaseTensor; gradInput?: CaseTensor; gradWeight?: CaseTensor; gradBias?: CaseTensor;
    runningMean?: CaseTensor; runningVar?: CaseTensor;
  };
}

export interface LinearCase extends CaseBase {
  op: 'linear';
  attrs: LinearAttrs;
  inputs: { input: CaseTensor; weight: CaseTensor; bias?: CaseTensor };
  gradOutput?: CaseTensor;
  expected: { output?: CaseTensor; gradInput?: CaseTensor; gradWeight?: CaseTensor; gradBias?: CaseTensor };
}

export interface CrossEntropyCase extends CaseBase {
  op: 'cross_entropy';
  attrs: CrossEntropyAttrs;
  /** target holds integer class indices in [0, C), stored as float64 like every other tensor. */
  inputs: { logits: CaseTensor; target: CaseTensor };
  expected: { loss?: CaseTensor; gradLogits?: CaseTensor };
}

export type ParsedCase =
  | Conv2dCase | MaxPool2dCase | AvgPool2dCase | AdaptiveAvgPool2dCase | LinearCase | CrossEntropyCase | ActivationCase | BatchNorm2dCase;

/** One case that could not be read; `message` is a single line naming the case and the field. */
export interface CaseError {
  kind: 'error';
  index: number;
  name?: string;
  op?: string;
  message: string;
}

export interface ParsedCaseFile {
  format: typeof CASE_FORMAT;
  cases: Array<ParsedCase | CaseError>;
}
