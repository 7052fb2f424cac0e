// Per-op rules of the two elementwise-per-channel ops of a case: `activation` (F.relu,
// F.leaky_relu, torch.sigmoid, torch.tanh, F.gelu, F.silu) and `batch_norm2d` (F.batch_norm on
// NCHW, training or eval). Same conventions as ops.ts: PyTorch's defaults, shapes checked here.

import { FieldError, describe, isMissing, readBool, requireRank, requireShape } from './fields';
import { type Body, type RawCase, optionalInput, readExpected, readGradOutput, requiredInput } from './ops';
import { ACTIVATION_KINDS, type ActivationCase, type ActivationKind, type BatchNorm2dCase, type CaseTensor } from './types';

function readNumber(value: unknown, path: string, fallback: number, ok: (v: number) => boolean, rule: string): number {
  if (isMissing(value)) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw new FieldError(path, `expected ${rule}, got ${describe(value)}`);
  return value;
}

export function parseActivation(raw: RawCase): Body<ActivationCase> {
  const kind = raw.attrs.kind;
  if (typeof kind !== 'string' || !(ACTIVATION_KINDS as readonly string[]).includes(kind)) {
    throw new FieldError('attrs.kind', `expected one of ${ACTIVATION_KINDS.join(', ')}, got ${describe(kind)}`);
  }
  if (kind !== 'leaky_relu' && !isMissing(raw.attrs.negative_slope)) {
    throw new FieldError('attrs.negative_slope', `only leaky_relu takes it, not ${kind}`);
  }
  if (kind === 'gelu' && !isMissing(raw.attrs.approximate) && raw.attrs.approximate !== 'none') {
    throw new FieldError('attrs.approximate', `only "none" (the exact erf form) is supported, got ${describe(raw.attrs.approximate)}`);
  }
  const negativeSlope = readNumber(raw.attrs.negative_slope, 'attrs.negative_slope', 0.01, () => true, 'a finite number');
  const input = requiredInput(raw, 'input', 'activation needs input');
  const gradOutput = readGradOutput(raw, input.shape);
  const expected = readExpected(raw, {
    output: { shape: input.shape, why: 'the shape of inputs.input' },
    grad_input: { shape: input.shape, why: 'the shape of inputs.input' },
  });
  return { op: 'activation', attrs: { kind: kind as ActivationKind, negativeSlope }, inputs: { input }, gradOutput, expected };
}

export function parseBatchNorm2d(raw: RawCase): Body<BatchNorm2dCase> {
  const attrs = {
    training: readBool(raw.attrs.training, 'attrs.training', false),
    momentum: readNumber(raw.attrs.momentum, 'attrs.momentum', 0.1, (v) => v >= 0 && v <= 1, 'a number in [0, 1]'),
    eps: readNumber(raw.attrs.eps, 'attrs.eps', 1e-5, (v) => v > 0, 'a number > 0'),
  };
  const input = requiredInput(raw, 'input', 'batch_norm2d needs input; weight, bias and (in training) the running statistics are optional');
  requireRank(input, 4, 'inputs.input', 'N, C, H, W');
  const [n, c, h, w] = input.shape as [number, number, number, number];
  if (attrs.training && n * h * w < 2) {
    throw new FieldError('inputs.input', `shape [${input.shape.join(',')}] has one value per channel; training needs more than one (PyTorch refuses it too)`);
  }
  const perChannel = (key: string): CaseTensor | undefined => {
    const t = optionalInput(raw, key);
    if (t) requireShape(t, [c], `inputs.${key}`, 'one value per channel');
    return t;
  };
  const weight = perChannel('weight');
  const bias = perChannel('bias');
  const runningMean = perChannel('running_mean');
  const runningVar = perChannel('running_var');
  if (!runningMean !== !runningVar) throw new FieldError(runningMean ? 'inputs.running_var' : 'inputs.running_mean', 'missing: give both running statistics or neither');
  if (!attrs.training && !runningMean) throw new FieldError('inputs.running_mean', 'missing: eval mode normalises with the running statistics');
  const gradOutput = readGradOutput(raw, input.shape);
  const channelWhy = 'one value per channel';
  const expected = readExpected(raw, {
    output: { shape: input.shape, why: 'the shape of inputs.input' },
    grad_input: { shape: input.shape, why: 'the shape of inputs.input' },
    grad_weight: weight ? { shape: [c], why: channelWhy } : 'given but inputs.weight is missing',
    grad_bias: bias ? { shape: [c], why: channelWhy } : 'given but inputs.bias is missing',
    running_mean: runningMean ? { shape: [c], why: channelWhy } : 'given but inputs.running_mean is missing',
    running_var: runningVar ? { shape: [c], why: channelWhy } : 'given but inputs.running_var is missing',
  });
  const inputs = { input, ...(weight ? { weight } : {}), ...(bias ? { bias } : {}), ...(runningMean ? { runningMean, runningVar } : {}) };
  return { op: 'batch_norm2d', attrs, inputs, gradOutput, expected };
}
