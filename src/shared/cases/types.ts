// The parsed, normalised form of a `convlab-cases/1` file (docs/formats/cases.md). The JSON spells
// attributes the PyTorch way (snake_case, an int or a pair); everything here is already resolved to
// explicit pairs with PyTorch's defaults filled in, so consumers never re-implement the leniency.

export const CASE_FORMAT = 'convlab-cases/1';

export const SUPPORTED_OPS = ['conv2d', 'max_pool2d', 'avg_pool2d', 'linear', 'cross_entropy'] as const;
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

export interface Conv2dAttrs {
  stride: Pair;
  padding: ConvPadding;
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

export type LinearAttrs = Record<string, never>;

export interface CrossEntropyAttrs {
  reduction: 'mean';
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

export type ParsedCase = Conv2dCase | MaxPool2dCase | AvgPool2dCase | LinearCase | CrossEntropyCase;

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
