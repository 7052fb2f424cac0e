// Per-op rules of a case: which tensors it takes, PyTorch's attribute defaults and limits, and the
// shapes every tensor must have. Shape checks compute the output shape from input + attrs, so a
// grad_output or expected tensor of the wrong size is caught here rather than deep inside a kernel.

import { FieldError, describe, formatShape, isMissing, readBool, readInt, readPair, readTensor, requireRank, requireShape } from './fields';
import { conv2dOutputShape, pool2dOutputShape, resolveConvPadding } from './shapes';
import type {
  AdaptiveAvgPool2dCase, AvgPool2dCase, CasePaddingMode, CaseTensor, Conv2dAttrs, Conv2dCase, ConvPadding, CrossEntropyCase,
  LinearCase, MaxPool2dCase, Pair,
} from './types';

/** A case's JSON after the envelope (name, op, tolerance) has been read. */
export interface RawCase {
  attrs: Record<string, unknown>;
  inputs: Record<string, unknown>;
  gradOutput: unknown;
  expected: Record<string, unknown>;
}

export type Body<C> = Omit<C, 'kind' | 'index' | 'name' | 'tolerance'>;

/** JSON key -> parsed key of the expected tensors. */
const EXPECTED_KEYS = {
  output: 'output',
  grad_input: 'gradInput',
  grad_weight: 'gradWeight',
  grad_bias: 'gradBias',
  loss: 'loss',
  grad_logits: 'gradLogits',
  running_mean: 'runningMean',
  running_var: 'runningVar',
} as const;
type ExpectedJsonKey = keyof typeof EXPECTED_KEYS;

export function requiredInput(raw: RawCase, key: string, usage: string): CaseTensor {
  if (isMissing(raw.inputs[key])) throw new FieldError(`inputs.${key}`, `missing (${usage})`);
  return readTensor(raw.inputs[key], `inputs.${key}`);
}

export function optionalInput(raw: RawCase, key: string): CaseTensor | undefined {
  return isMissing(raw.inputs[key]) ? undefined : readTensor(raw.inputs[key], `inputs.${key}`);
}

/**
 * Reads the expected tensors this op knows, each checked against the shape it must have; absent ones
 * are skipped (verify compares what is present) but at least one must be there.
 */
export function readExpected(raw: RawCase, wants: Partial<Record<ExpectedJsonKey, { shape: number[]; why: string } | string>>): Record<string, CaseTensor> {
  const keys = Object.keys(wants) as ExpectedJsonKey[];
  const out: Record<string, CaseTensor> = {};
  for (const key of keys) {
    const value = raw.expected[key];
    if (isMissing(value)) continue;
    const want = wants[key]!;
    // A string means the tensor cannot be present (e.g. grad_bias without a bias).
    if (typeof want === 'string') throw new FieldError(`expected.${key}`, want);
    const tensor = readTensor(value, `expected.${key}`);
    requireShape(tensor, want.shape, `expected.${key}`, want.why);
    out[EXPECTED_KEYS[key]] = tensor;
  }
  if (Object.keys(out).length === 0) {
    throw new FieldError('expected', `none of ${keys.join(', ')} is present; give at least one`);
  }
  return out;
}

/** grad_output is needed only when a gradient is expected; when present it must match the output. */
export function readGradOutput(raw: RawCase, outputShape: number[]): CaseTensor | undefined {
  if (isMissing(raw.gradOutput)) {
    const needing = Object.keys(EXPECTED_KEYS).filter((k) => k.startsWith('grad_') && !isMissing(raw.expected[k]));
    if (needing.length > 0) throw new FieldError('grad_output', `missing, but expected.${needing[0]} needs it`);
    return undefined;
  }
  const tensor = readTensor(raw.gradOutput, 'grad_output');
  requireShape(tensor, outputShape, 'grad_output', 'the output shape computed from the inputs and attrs');
  return tensor;
}

/** Output-shape helpers throw RangeError for kernels that do not fit; name the field they concern. */
function outputShapeOr(path: string, compute: () => number[]): number[] {
  try {
    return compute();
  } catch (e) {
    if (e instanceof RangeError) throw new FieldError(path, e.message);
    throw e;
  }
}

function readConvPadding(value: unknown): ConvPadding {
  if (value === 'same' || value === 'valid') return value;
  if (typeof value === 'string') {
    throw new FieldError('attrs.padding', `expected "same", "valid", an integer or a pair, got ${describe(value)}`);
  }
  return { kind: 'explicit', pair: readPair(value, 'attrs.padding', 0, [0, 0]) };
}

const PADDING_MODES: readonly CasePaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

function readPaddingMode(value: unknown): CasePaddingMode {
  if (isMissing(value)) return 'zeros';
  if (typeof value === 'string' && (PADDING_MODES as readonly string[]).includes(value)) return value as CasePaddingMode;
  throw new FieldError('attrs.padding_mode', `expected one of ${PADDING_MODES.map((m) => `"${m}"`).join(', ')}, got ${describe(value)}`);
}

/** PyTorch's limits of a padding mode (F.pad): reflect needs padding < size, circular <= size. */
function checkPaddingMode(attrs: Conv2dAttrs, input: CaseTensor, weight: CaseTensor): void {
  if (attrs.paddingMode !== 'reflect' && attrs.paddingMode !== 'circular') return;
  const pad = resolveConvPadding(attrs.padding, [weight.shape[2]!, weight.shape[3]!], attrs.dilation);
  [0, 1].forEach((axis) => {
    const size = input.shape[2 + axis]!;
    const p = Math.max(pad.before[axis]!, pad.after[axis]!);
    const fits = attrs.paddingMode === 'reflect' ? p < size : p <= size;
    if (!fits) {
      const rule = attrs.paddingMode === 'reflect' ? 'less than' : 'at most';
      throw new FieldError('attrs.padding', `padding ${p} must be ${rule} the input ${axis === 0 ? 'height' : 'width'} ${size} with padding_mode "${attrs.paddingMode}" (PyTorch's rule)`);
    }
  });
}

export function parseConv2d(raw: RawCase): Body<Conv2dCase> {
  const attrs: Conv2dAttrs = {
    stride: readPair(raw.attrs.stride, 'attrs.stride', 1, [1, 1]),
    padding: readConvPadding(raw.attrs.padding),
    paddingMode: readPaddingMode(raw.attrs.padding_mode),
    dilation: readPair(raw.attrs.dilation, 'attrs.dilation', 1, [1, 1]),
    groups: isMissing(raw.attrs.groups) ? 1 : readInt(raw.attrs.groups, 'attrs.groups', 1),
  };
  if (attrs.padding === 'same' && (attrs.stride[0] !== 1 || attrs.stride[1] !== 1)) {
    throw new FieldError('attrs.padding', `"same" needs stride 1 (PyTorch refuses strided "same"), got stride ${formatShape(attrs.stride)}`);
  }
  const usage = 'conv2d needs input and weight; bias is optional';
  const input = requiredInput(raw, 'input', usage);
  const weight = requiredInput(raw, 'weight', usage);
  const bias = optionalInput(raw, 'bias');
  requireRank(input, 4, 'inputs.input', 'N, C, H, W');
  requireRank(weight, 4, 'inputs.weight', 'O, C/groups, kh, kw');
  const [, channels] = input.shape as [number, number];
  const [outChannels, perGroup] = weight.shape as [number, number];
  const g = attrs.groups;
  if (channels % g !== 0) throw new FieldError('attrs.groups', `${g} does not divide the input's ${channels} channels`);
  if (outChannels % g !== 0) throw new FieldError('attrs.groups', `${g} does not divide the weight's ${outChannels} output channels`);
  if (perGroup !== channels / g) {
    throw new FieldError('inputs.weight', `shape ${formatShape(weight.shape)} has ${perGroup} channels per filter but input channels / groups = ${channels}/${g} = ${channels / g}`);
  }
  if (bias) requireShape(bias, [outChannels], 'inputs.bias', 'one value per output channel');
  const outputShape = outputShapeOr('inputs.weight', () => conv2dOutputShape(input.shape, weight.shape, attrs));
  checkPaddingMode(attrs, input, weight);
  const gradOutput = readGradOutput(raw, outputShape);
  const expected = readExpected(raw, {
    output: { shape: outputShape, why: 'the output shape computed from the inputs and attrs' },
    grad_input: { shape: input.shape, why: 'the shape of inputs.input' },
    grad_weight: { shape: weight.shape, why: 'the shape of inputs.weight' },
    grad_bias: bias ? { shape: bias.shape, why: 'the shape of inputs.bias' } : 'given but inputs.bias is missing',
  });
  return { op: 'conv2d', attrs, inputs: bias ? { input, weight, bias } : { input, weight }, gradOutput, expected };
}

/** Shared by both pools: kernel_size (required), stride (defaults to kernel_size), padding. */
function readPoolWindow(raw: RawCase, op: string): { kernelSize: Pair; stride: Pair; padding: Pair } {
  if (isMissing(raw.attrs.kernel_size)) throw new FieldError('attrs.kernel_size', `missing (${op} needs it)`);
  const kernelSize = readPair(raw.attrs.kernel_size, 'attrs.kernel_size', 1, [1, 1]);
  // PyTorch: stride None or [] means "same as kernel_size".
  const strideRaw = Array.isArray(raw.attrs.stride) && raw.attrs.stride.length === 0 ? null : raw.attrs.stride;
  const stride = readPair(strideRaw, 'attrs.stride', 1, kernelSize);
  const padding = readPair(raw.attrs.padding, 'attrs.padding', 0, [0, 0]);
  if (padding[0] > Math.floor(kernelSize[0] / 2) || padding[1] > Math.floor(kernelSize[1] / 2)) {
    throw new FieldError('attrs.padding', `${formatShape(padding)} must be at most half of kernel_size ${formatShape(kernelSize)} (PyTorch's rule for pools)`);
  }
  return { kernelSize, stride, padding };
}

function poolTensors(raw: RawCase, op: string, outputShape: (inputShape: number[]) => number[], shapePath = 'attrs.kernel_size') {
  const input = requiredInput(raw, 'input', `${op} needs input`);
  requireRank(input, 4, 'inputs.input', 'N, C, H, W');
  const out = outputShapeOr(shapePath, () => outputShape(input.shape));
  const gradOutput = readGradOutput(raw, out);
  const expected = readExpected(raw, {
    output: { shape: out, why: 'the output shape computed from the input and attrs' },
    grad_input: { shape: input.shape, why: 'the shape of inputs.input' },
  });
  return { inputs: { input }, gradOutput, expected };
}

export function parseMaxPool2d(raw: RawCase): Body<MaxPool2dCase> {
  const attrs = {
    ...readPoolWindow(raw, 'max_pool2d'),
    dilation: readPair(raw.attrs.dilation, 'attrs.dilation', 1, [1, 1]),
    ceilMode: readBool(raw.attrs.ceil_mode, 'attrs.ceil_mode', false),
  };
  if (readBool(raw.attrs.return_indices, 'attrs.return_indices', false)) {
    throw new FieldError('attrs.return_indices', 'true is not supported; the indices are not part of a case');
  }
  return { op: 'max_pool2d', attrs, ...poolTensors(raw, 'max_pool2d', (shape) => pool2dOutputShape(shape, attrs)) };
}

export function parseAvgPool2d(raw: RawCase): Body<AvgPool2dCase> {
  const attrs = {
    ...readPoolWindow(raw, 'avg_pool2d'),
    ceilMode: readBool(raw.attrs.ceil_mode, 'attrs.ceil_mode', false),
    countIncludePad: readBool(raw.attrs.count_include_pad, 'attrs.count_include_pad', true),
  };
  // Fields PyTorch's avg_pool2d has (or lacks) that would change the numbers: refuse rather than ignore.
  const dilation = readPair(raw.attrs.dilation, 'attrs.dilation', 1, [1, 1]);
  if (dilation[0] !== 1 || dilation[1] !== 1) throw new FieldError('attrs.dilation', 'avg_pool2d has no dilation in PyTorch; remove it or use 1');
  if (!isMissing(raw.attrs.divisor_override)) throw new FieldError('attrs.divisor_override', 'is not supported; remove it');
  return { op: 'avg_pool2d', attrs, ...poolTensors(raw, 'avg_pool2d', (shape) => pool2dOutputShape(shape, attrs)) };
}

/** F.adaptive_avg_pool2d(input, 1): one output per channel, the mean of its plane. */
export function parseAdaptiveAvgPool2d(raw: RawCase): Body<AdaptiveAvgPool2dCase> {
  const outputSize = readPair(raw.attrs.output_size, 'attrs.output_size', 1, [1, 1]);
  if (outputSize[0] !== 1 || outputSize[1] !== 1) {
    throw new FieldError('attrs.output_size', `only 1 (global average pooling) is supported, got ${formatShape(outputSize)}`);
  }
  const tensors = poolTensors(raw, 'adaptive_avg_pool2d', (shape) => {
    if (shape[2]! < 1 || shape[3]! < 1) throw new RangeError(`shape ${formatShape(shape)} has an empty plane; the mean needs H, W >= 1`);
    return [shape[0]!, shape[1]!, 1, 1];
  }, 'inputs.input');
  return { op: 'adaptive_avg_pool2d', attrs: { outputSize }, ...tensors };
}

export function parseLinear(raw: RawCase): Body<LinearCase> {
  const usage = 'linear needs input and weight; bias is optional';
  const input = requiredInput(raw, 'input', usage);
  const weight = requiredInput(raw, 'weight', usage);
  const bias = optionalInput(raw, 'bias');
  requireRank(input, 2, 'inputs.input', 'N, in_features');
  requireRank(weight, 2, 'inputs.weight', 'out_features, in_features');
  const [n, features] = input.shape as [number, number];
  const [outFeatures, weightFeatures] = weight.shape as [number, number];
  if (weightFeatures !== features) {
    throw new FieldError('inputs.weight', `shape ${formatShape(weight.shape)} has ${weightFeatures} columns but the input has ${features} features`);
  }
  if (bias) requireShape(bias, [outFeatures], 'inputs.bias', 'one value per output feature');
  const outputShape = [n, outFeatures];
  const gradOutput = readGradOutput(raw, outputShape);
  const expected = readExpected(raw, {
    output: { shape: outputShape, why: '[N, out_features]' },
    grad_input: { shape: input.shape, why: 'the shape of inputs.input' },
    grad_weight: { shape: weight.shape, why: 'the shape of inputs.weight' },
    grad_bias: bias ? { shape: bias.shape, why: 'the shape of inputs.bias' } : 'given but inputs.bias is missing',
  });
  return { op: 'linear', attrs: {}, inputs: bias ? { input, weight, bias } : { input, weight }, gradOutput, expected };
}

export function parseCrossEntropy(raw: RawCase): Body<CrossEntropyCase> {
  const reduction = raw.attrs.reduction ?? 'mean';
  if (reduction !== 'mean') throw new FieldError('attrs.reduction', `only "mean" is supported, got ${describe(reduction)}`);
  const smoothing = isMissing(raw.attrs.label_smoothing) ? 0 : raw.attrs.label_smoothing;
  if (typeof smoothing !== 'number' || !(smoothing >= 0 && smoothing <= 1)) {
    throw new FieldError('attrs.label_smoothing', `expected a number in [0, 1] (PyTorch's range), got ${describe(smoothing)}`);
  }
  if (!isMissing(raw.attrs.weight)) throw new FieldError('attrs.weight', 'class weights are not supported; remove it');
  if (!isMissing(raw.gradOutput)) {
    throw new FieldError('grad_output', 'cross_entropy takes none: the loss is the end of the graph and its gradient is 1');
  }
  const usage = 'cross_entropy needs logits and target';
  const logits = requiredInput(raw, 'logits', usage);
  const target = requiredInput(raw, 'target', usage);
  requireRank(logits, 2, 'inputs.logits', 'N, C');
  const [n, classes] = logits.shape as [number, number];
  if (n < 1 || classes < 1) throw new FieldError('inputs.logits', `shape ${formatShape(logits.shape)} is empty; the mean loss needs N >= 1 and C >= 1`);
  requireShape(target, [n], 'inputs.target', 'one class index per row of logits');
  const ignoreIndex = raw.attrs.ignore_index;
  for (let i = 0; i < n; i++) {
    const t = target.data[i]!;
    if (!Number.isInteger(t) || t < 0 || t >= classes) {
      throw new FieldError('inputs.target', `data[${i}] is ${t}, expected a class index in [0, ${classes})`);
    }
    if (t === ignoreIndex) throw new FieldError('attrs.ignore_index', `${t} matches target data[${i}]; ignore_index is not supported`);
  }
  const expected = readExpected(raw, {
    loss: { shape: [], why: 'a scalar' },
    grad_logits: { shape: logits.shape, why: 'the shape of inputs.logits' },
  });
  return { op: 'cross_entropy', attrs: { reduction: 'mean', labelSmoothing: smoothing }, inputs: { logits, target }, expected };
}
