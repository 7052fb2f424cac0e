import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CaseFileError,
  compareTensor,
  conv2dOutputShape,
  parseCaseFile,
  pool2dOutputShape,
  pooledLength,
  resolveConvPadding,
  type CaseError,
  type Conv2dCase,
  type ParsedCase,
} from '../../src/shared/cases';

const FIXTURES = join(__dirname, '..', 'fixtures');
const read = (...parts: string[]): string => readFileSync(join(FIXTURES, ...parts), 'utf8');

function fileError(text: string): string {
  try {
    parseCaseFile(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CaseFileError);
    return (e as Error).message;
  }
  throw new Error('expected a CaseFileError');
}

function goodCases(file: string): ParsedCase[] {
  const parsed = parseCaseFile(read('cases', file));
  const errors = parsed.cases.filter((c): c is CaseError => c.kind === 'error').map((c) => c.message);
  expect(errors).toEqual([]);
  return parsed.cases as ParsedCase[];
}

/** Direct (no im2col) convolution, written from the definition, to check the fixtures' layout rules. */
function naiveConv2d(c: Conv2dCase): Float64Array {
  const { input, weight, bias } = c.inputs;
  const [n, ch, h, w] = input.shape as [number, number, number, number];
  const [o, cg, kh, kw] = weight.shape as [number, number, number, number];
  const out = conv2dOutputShape(input.shape, weight.shape, c.attrs);
  const [, , oh, ow] = out as [number, number, number, number];
  const pad = resolveConvPadding(c.attrs.padding, [kh, kw], c.attrs.dilation);
  const [sh, sw] = c.attrs.stride;
  const [dh, dw] = c.attrs.dilation;
  const perGroupOut = o / c.attrs.groups;
  const y = new Float64Array(n * o * oh * ow);
  for (let b = 0; b < n; b++)
    for (let f = 0; f < o; f++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let sum = bias ? bias.data[f]! : 0;
          const group = Math.floor(f / perGroupOut);
          for (let k = 0; k < cg; k++)
            for (let u = 0; u < kh; u++)
              for (let v = 0; v < kw; v++) {
                const r = i * sh - pad.before[0] + u * dh;
                const s = j * sw - pad.before[1] + v * dw;
                if (r < 0 || r >= h || s < 0 || s >= w) continue;
                const x = input.data[((b * ch + group * cg + k) * h + r) * w + s]!;
                sum += x * weight.data[((f * cg + k) * kh + u) * kw + v]!;
              }
          y[((b * o + f) * oh + i) * ow + j] = sum;
        }
  return y;
}

describe('PyTorch fixtures in test/fixtures/cases', () => {
  const files = readdirSync(join(FIXTURES, 'cases')).filter((f) => f.endsWith('.json'));

  it('has the generated files', () => {
    expect(files.sort()).toEqual([
      'activation.json', 'batch_norm2d.json', 'conv2d.json', 'conv2d_padding_modes.json', 'cross_entropy.json', 'linear.json',
      'pools.json', 'worked-example.json',
    ]);
  });

  it.each(files)('%s parses with zero errors and fits the size budget', (file) => {
    expect(goodCases(file).length).toBeGreaterThan(0);
    expect(read('cases', file).length).toBeLessThan(300_000);
  });

  it('holds the worked example: one 3x9x9 image, ten 3x3 filters, stride 3, with bias', () => {
    for (const file of ['worked-example.json', 'conv2d.json']) {
      const c = goodCases(file).find((x) => x.name === 'worked-example') as Conv2dCase;
      expect(c.op).toBe('conv2d');
      expect(c.inputs.input.shape).toEqual([1, 3, 9, 9]);
      expect(c.inputs.weight.shape).toEqual([10, 3, 3, 3]);
      expect(c.inputs.bias?.shape).toEqual([10]);
      expect(c.attrs.stride).toEqual([3, 3]);
      expect(c.expected.output?.shape).toEqual([1, 10, 3, 3]);
    }
  });

  it('gives float32-exact inputs, so f32 kernels see exactly what PyTorch saw', () => {
    for (const file of files) {
      for (const c of goodCases(file)) {
        const tensors = [...Object.values(c.inputs), ...('gradOutput' in c && c.gradOutput ? [c.gradOutput] : [])];
        for (const t of tensors) for (const v of t.data) expect(Math.fround(v)).toBe(v);
      }
    }
  });

  it('agrees with a direct convolution on every conv2d forward output (layout, same-padding split, groups)', () => {
    for (const c of goodCases('conv2d.json') as Conv2dCase[]) {
      const check = compareTensor(naiveConv2d(c), c.expected.output!, { atol: 1e-12, rtol: 1e-12 });
      expect({ name: c.name, pass: check.pass }).toEqual({ name: c.name, pass: true });
    }
  });

  it('covers the cases the issue asks for', () => {
    const conv = goodCases('conv2d.json') as Conv2dCase[];
    const has = (p: (c: Conv2dCase) => boolean): boolean => conv.some(p);
    const k = (c: Conv2dCase): number[] => c.inputs.weight.shape.slice(2);
    expect(has((c) => c.attrs.padding === 'same' && k(c).some((d) => d % 2 === 0))).toBe(true);
    expect(has((c) => c.attrs.padding === 'same' && c.attrs.dilation[0] === 2)).toBe(true);
    expect(has((c) => c.attrs.padding === 'valid')).toBe(true);
    expect(has((c) => c.attrs.groups === 2) && has((c) => c.attrs.groups === 3)).toBe(true);
    expect(has((c) => c.attrs.groups === c.inputs.input.shape[1] && c.inputs.weight.shape[0] === 2 * c.attrs.groups)).toBe(true);
    expect(has((c) => c.inputs.bias === undefined) && has((c) => c.inputs.input.shape[0]! > 1)).toBe(true);
    expect(has((c) => k(c)[0] === 1 && k(c)[1] === 1)).toBe(true);
    const pools = goodCases('pools.json');
    const ties = pools.find((c) => c.name === 'max-ties')!;
    const tieInput = ties.inputs as { input: { data: Float64Array } };
    expect(new Set(tieInput.input.data).size).toBeLessThan(4);
  });
});

describe('pool and conv output shapes (values from PyTorch 1.13)', () => {
  it.each([
    // size, kernel, stride, padding, dilation, ceil_mode, PyTorch's length
    [5, 3, 3, 1, 1, true, 2], // the ceil window would start in the right padding: dropped
    [5, 2, 2, 0, 1, true, 3], // partial last window kept
    [8, 2, 3, 1, 2, true, 3],
    [7, 3, 2, 1, 1, false, 4],
    [6, 4, 3, 2, 1, true, 3],
    [10, 3, 4, 1, 2, true, 3],
    [4, 2, 2, 1, 1, true, 3],
    [9, 3, 2, 1, 1, true, 5],
    [6, 2, 5, 1, 1, true, 2],
  ] as const)('pooledLength(%i, k%i, s%i, p%i, d%i, ceil=%s) = %i', (size, k, s, p, d, ceil, want) => {
    expect(pooledLength(size, k, s, p, d, ceil)).toBe(want);
  });

  it('computes conv2d output shapes like F.conv2d', () => {
    const explicit = (h: number, w: number) => ({ kind: 'explicit' as const, pair: [h, w] as [number, number] });
    expect(conv2dOutputShape([1, 3, 9, 9], [10, 3, 3, 3], { stride: [3, 3], padding: explicit(0, 0), dilation: [1, 1] })).toEqual([1, 10, 3, 3]);
    expect(conv2dOutputShape([2, 4, 7, 8], [6, 2, 3, 2], { stride: [2, 1], padding: explicit(1, 2), dilation: [1, 2] })).toEqual([2, 6, 4, 10]);
    expect(conv2dOutputShape([1, 2, 5, 6], [3, 2, 4, 3], { stride: [1, 1], padding: 'same', dilation: [2, 2] })).toEqual([1, 3, 5, 6]);
    expect(conv2dOutputShape([1, 1, 5, 5], [1, 1, 2, 2], { stride: [3, 3], padding: explicit(0, 1), dilation: [1, 1] })).toEqual([1, 1, 2, 2]);
  });

  it("splits odd 'same' padding with the extra row/column after, as PyTorch does", () => {
    expect(resolveConvPadding('same', [2, 4], [1, 3])).toEqual({ before: [0, 4], after: [1, 5] });
    expect(resolveConvPadding('valid', [3, 3], [1, 1])).toEqual({ before: [0, 0], after: [0, 0] });
  });

  it('refuses a kernel larger than the padded input with the sizes in the message', () => {
    expect(() => conv2dOutputShape([1, 1, 4, 7], [1, 1, 3, 3], { stride: [1, 1], padding: 'valid', dilation: [2, 1] })).toThrow(
      'output size would be 0x5: the dilated kernel (5x3) is larger than the padded input (4x7)',
    );
    expect(() => pool2dOutputShape([1, 1, 2, 2], { kernelSize: [3, 3], stride: [1, 1], padding: [0, 0], ceilMode: false })).toThrow(RangeError);
  });
});

describe('parseCaseFile: file-level problems throw one clear CaseFileError', () => {
  it('names line and column of malformed JSON, and explains a bare NaN', () => {
    expect(fileError(read('bad-cases', 'malformed-nan.json'))).toBe(
      "malformed JSON at line 4, column 50: Unexpected token 'N'; NaN is not JSON and cases must hold finite numbers " +
        '(Python: json.dump(..., allow_nan=False) catches this)',
    );
    expect(fileError('{\n  "format": "convlab-cases/1"\n  "cases": []\n}')).toBe(
      "malformed JSON at line 3, column 3: Expected ',' or '}' after property value",
    );
    expect(fileError('{"format": ')).toBe('malformed JSON at line 1, column 12: Unexpected end of JSON input');
  });

  it('refuses a wrong or missing format and a missing or empty cases array', () => {
    expect(fileError(read('bad-cases', 'wrong-format.json'))).toBe(
      'format is "convlab-cases/2" but this reader understands "convlab-cases/1"',
    );
    expect(fileError('{"cases": []}')).toBe('missing "format" (expected "convlab-cases/1")');
    expect(fileError('{"format": "convlab-cases/1", "cases": {}}')).toBe('"cases" must be an array of cases, got {}');
    expect(fileError('{"format": "convlab-cases/1", "cases": []}')).toBe('"cases" is empty; a case file must hold at least one case');
    expect(fileError('[1, 2]')).toBe('expected a JSON object with "format" and "cases", got [1,2]');
  });

  it('accepts a leading byte-order mark', () => {
    const text = '\uFEFF' + read('cases', 'linear.json');
    expect(parseCaseFile(text).cases.every((c) => c.kind === 'case')).toBe(true);
  });
});

describe('parseCaseFile: a file mixing good and bad cases', () => {
  const parsed = parseCaseFile(read('bad-cases', 'mixed.json'));
  const byIndex = (i: number) => parsed.cases[i]!;

  it('reports exactly one clear message per bad case and keeps the good ones', () => {
    const messages = parsed.cases.map((c) => (c.kind === 'error' ? c.message : `ok ${c.name}`));
    expect(messages).toEqual([
      'ok good-conv-1x1',
      'case 1 "unknown-op": unknown op "conv3d" (supported: conv2d, max_pool2d, avg_pool2d, adaptive_avg_pool2d, linear, cross_entropy, activation, batch_norm2d)',
      'case 2 "missing-weight": inputs.weight: missing (conv2d needs input and weight; bias is optional)',
      'case 3 "conv-groups": inputs.weight: data has 7 numbers but shape [2,1,2,2] needs 8',
      'case 4 "nan-as-string": inputs.input: data[2] is NaN; every number must be finite',
      'case 5 "overflow": expected.output: data[0] is Infinity; every number must be finite',
      'case 6 "zero-stride": attrs.stride[1]: expected an integer >= 1, got 0',
      "case 7 \"groups-not-dividing\": attrs.groups: 2 does not divide the input's 3 channels",
      'case 8 "target-out-of-range": inputs.target: data[1] is 3, expected a class index in [0, 3)',
      'case 9 "grad-output-shape": grad_output: shape [1,1,3,3] should be [1,1,2,2] (the output shape computed from the inputs and attrs)',
      'ok good-max-pool-nested-default-stride',
      'case 11 "strided-same": attrs.padding: "same" needs stride 1 (PyTorch refuses strided "same"), got stride [2,2]',
      "case 12 \"pool-padding-too-big\": attrs.padding: [0,2] must be at most half of kernel_size [2,2] (PyTorch's rule for pools)",
      'case 13 "nothing-expected": expected: none of output, grad_input, grad_weight, grad_bias is present; give at least one',
      'ok good-linear-defaults',
      'case 15 "good-conv-1x1": name: duplicates case 0; names must be unique',
      'ok good-cross-entropy-scalar',
      'case 17 "grad-bias-without-bias": expected.grad_bias: given but inputs.bias is missing',
      'case 18: expected an object, got 42',
    ]);
  });

  it('labels each error with index, name and op', () => {
    expect(byIndex(1)).toMatchObject({ kind: 'error', index: 1, name: 'unknown-op', op: 'conv3d' });
    expect(byIndex(18)).toEqual({ kind: 'error', index: 18, message: 'case 18: expected an object, got 42' });
  });

  it('normalises the good cases: pairs, defaults, tolerance, camelCase tensors', () => {
    expect(byIndex(0)).toMatchObject({
      kind: 'case',
      op: 'conv2d',
      attrs: { stride: [1, 1], padding: { kind: 'explicit', pair: [0, 0] }, paddingMode: 'zeros', dilation: [1, 1], groups: 1 },
      tolerance: { atol: 1e-6, rtol: 0 },
    });
    const conv = byIndex(0) as Conv2dCase;
    expect(Array.from(conv.expected.gradWeight!.data)).toEqual([5]);
    expect(conv.gradOutput?.data).toBeInstanceOf(Float64Array);

    const pool = byIndex(10) as ParsedCase & { op: 'max_pool2d' };
    expect(pool.attrs).toEqual({ kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceilMode: false });
    expect(Array.from(pool.inputs.input.data)).toEqual([1, 5, 3, 2]);

    const linear = byIndex(14) as ParsedCase & { op: 'linear' };
    expect(linear.tolerance).toEqual({ atol: 1e-4, rtol: 1e-4 });
    expect(linear.gradOutput).toBeUndefined();
    expect(linear.inputs.bias).toBeUndefined();

    const ce = byIndex(16) as ParsedCase & { op: 'cross_entropy' };
    expect(ce.expected.loss).toEqual({ shape: [], data: new Float64Array([0.6931471805599453]) });
  });
});

describe('parseCaseFile: attribute leniency and limits, one case at a time', () => {
  const pool = (attrs: object, hw = 6) =>
    JSON.stringify({
      format: 'convlab-cases/1',
      cases: [{ name: 'p', op: 'avg_pool2d', attrs, inputs: { input: { shape: [1, 1, hw, hw], data: new Array(hw * hw).fill(0) } }, expected: { output: { shape: [1, 1, 3, 3], data: new Array(9).fill(0) } } }],
    });
  const only = (text: string) => parseCaseFile(text).cases[0]!;

  it('treats stride [] like a missing stride (= kernel_size) and count_include_pad as true by default', () => {
    expect(only(pool({ kernel_size: [2], stride: [] }))).toMatchObject({ attrs: { kernelSize: [2, 2], stride: [2, 2], countIncludePad: true, ceilMode: false } });
  });

  it('refuses what would silently change the numbers', () => {
    expect(only(pool({ kernel_size: 2, dilation: 2 }))).toMatchObject({ message: 'case 0 "p": attrs.dilation: avg_pool2d has no dilation in PyTorch; remove it or use 1' });
    expect(only(pool({ kernel_size: 2, ceil_mode: 'yes' }))).toMatchObject({ message: 'case 0 "p": attrs.ceil_mode: expected true or false, got "yes"' });
    expect(only(pool({}))).toMatchObject({ message: 'case 0 "p": attrs.kernel_size: missing (avg_pool2d needs it)' });
    expect(only(pool({ kernel_size: 2 }, 5))).toMatchObject({
      message: 'case 0 "p": expected.output: shape [1,1,3,3] should be [1,1,2,2] (the output shape computed from the input and attrs)',
    });
  });

  it('checks nested data against the shape', () => {
    const text = JSON.stringify({
      format: 'convlab-cases/1',
      cases: [{ name: 'n', op: 'linear', inputs: { input: { shape: [2, 2], data: [[1, 2], [3]] }, weight: { shape: [1, 2], data: [1, 1] } }, expected: { output: { shape: [2, 1], data: [3, 3] } } }],
    });
    expect(only(text)).toMatchObject({ message: 'case 0 "n": inputs.input.data: nested lists do not match shape [2,2]: data[1] has 1 entries, expected 2 entries' });
  });
});

describe('parseCaseFile: the ops and attrs of the second round', () => {
  const file = (c: object) => JSON.stringify({ format: 'convlab-cases/1', cases: [{ name: 'c', ...c }] });
  const only = (c: object) => parseCaseFile(file(c)).cases[0]!;
  const t = (shape: number[], fill = 0.5) => ({ shape, data: new Array(shape.reduce((a, b) => a * b, 1)).fill(fill) });
  const conv = (attrs: object, hw = 3) => ({
    op: 'conv2d', attrs, inputs: { input: t([1, 1, hw, hw]), weight: t([1, 1, 3, 3]) }, expected: { output: t([1, 1, hw, hw]) },
  });

  it('conv2d padding_mode: zeros by default, PyTorch limits for reflect and circular', () => {
    expect(only(conv({ padding: 1 }))).toMatchObject({ kind: 'case', attrs: { paddingMode: 'zeros' } });
    expect(only(conv({ padding: 1, padding_mode: 'reflect' }))).toMatchObject({ kind: 'case', attrs: { paddingMode: 'reflect' } });
    expect(only(conv({ padding: 'same', padding_mode: 'circular' }))).toMatchObject({ kind: 'case', attrs: { paddingMode: 'circular' } });
    expect(only(conv({ padding: 1, padding_mode: 'mirror' }))).toMatchObject({
      message: 'case 0 "c": attrs.padding_mode: expected one of "zeros", "reflect", "replicate", "circular", got "mirror"',
    });
    const wide = { ...conv({ padding: 3, padding_mode: 'reflect' }), expected: { output: t([1, 1, 7, 7]) } };
    expect(only(wide)).toMatchObject({
      message: 'case 0 "c": attrs.padding: padding 3 must be less than the input height 3 with padding_mode "reflect" (PyTorch\'s rule)',
    });
    expect(only({ ...wide, attrs: { padding: 3, padding_mode: 'circular' } })).toMatchObject({ kind: 'case' });
    expect(only({ ...conv({ padding: 4, padding_mode: 'circular' }), expected: { output: t([1, 1, 9, 9]) } })).toMatchObject({
      message: 'case 0 "c": attrs.padding: padding 4 must be at most the input height 3 with padding_mode "circular" (PyTorch\'s rule)',
    });
    expect(only({ ...conv({ padding: 4, padding_mode: 'replicate' }), expected: { output: t([1, 1, 9, 9]) } })).toMatchObject({ kind: 'case' });
  });

  it('activation: the kinds, negative_slope only for leaky_relu, shapes of the expected tensors', () => {
    const act = (attrs: object) => ({ op: 'activation', attrs, inputs: { input: t([2, 3]) }, grad_output: t([2, 3]), expected: { grad_input: t([2, 3]) } });
    expect(only(act({ kind: 'gelu' }))).toMatchObject({ kind: 'case', attrs: { kind: 'gelu' } });
    expect(only(act({ kind: 'leaky_relu' }))).toMatchObject({ attrs: { kind: 'leaky_relu', negativeSlope: 0.01 } });
    expect(only(act({ kind: 'leaky_relu', negative_slope: 0.2 }))).toMatchObject({ attrs: { negativeSlope: 0.2 } });
    expect(only(act({ kind: 'softplus' }))).toMatchObject({
      message: 'case 0 "c": attrs.kind: expected one of relu, leaky_relu, sigmoid, tanh, gelu, silu, got "softplus"',
    });
    expect(only(act({ kind: 'tanh', negative_slope: 0.1 }))).toMatchObject({ message: 'case 0 "c": attrs.negative_slope: only leaky_relu takes it, not tanh' });
    expect(only(act({ kind: 'gelu', approximate: 'tanh' }))).toMatchObject({
      message: 'case 0 "c": attrs.approximate: only "none" (the exact erf form) is supported, got "tanh"',
    });
    expect(only({ ...act({ kind: 'silu' }), grad_output: undefined })).toMatchObject({ message: 'case 0 "c": grad_output: missing, but expected.grad_input needs it' });
  });

  it('adaptive_avg_pool2d: output_size 1 only, output (N, C, 1, 1)', () => {
    const gap = (attrs: object, out = [1, 2, 1, 1]) => ({ op: 'adaptive_avg_pool2d', attrs, inputs: { input: t([1, 2, 3, 4]) }, expected: { output: t(out) } });
    expect(only(gap({ output_size: 1 }))).toMatchObject({ kind: 'case', attrs: { outputSize: [1, 1] } });
    expect(only(gap({}))).toMatchObject({ kind: 'case' });
    expect(only(gap({ output_size: [2, 2] }))).toMatchObject({ message: 'case 0 "c": attrs.output_size: only 1 (global average pooling) is supported, got [2,2]' });
    expect(only(gap({}, [1, 2, 3, 4]))).toMatchObject({ message: expect.stringContaining('expected.output: shape [1,2,3,4] should be [1,2,1,1]') });
  });

  it('batch_norm2d: defaults, optional affine and running statistics, what each mode needs', () => {
    const bn = (attrs: object, inputs: object = {}, expected: object = { output: t([2, 3, 2, 2]) }) => ({
      op: 'batch_norm2d', attrs, inputs: { input: t([2, 3, 2, 2]), ...inputs }, expected,
    });
    expect(only(bn({ training: true }))).toMatchObject({ kind: 'case', attrs: { training: true, momentum: 0.1, eps: 1e-5 } });
    expect(only(bn({}))).toMatchObject({ message: 'case 0 "c": inputs.running_mean: missing: eval mode normalises with the running statistics' });
    expect(only(bn({ training: true }, { running_mean: t([3]) }))).toMatchObject({ message: 'case 0 "c": inputs.running_var: missing: give both running statistics or neither' });
    expect(only(bn({ training: true }, { weight: t([2]) }))).toMatchObject({ message: expect.stringContaining('inputs.weight: shape [2] should be [3]') });
    expect(only(bn({ training: true, momentum: 2 }))).toMatchObject({ message: 'case 0 "c": attrs.momentum: expected a number in [0, 1], got 2' });
    expect(only({ ...bn({ training: true }, {}, { grad_weight: t([3]) }), grad_output: t([2, 3, 2, 2]) })).toMatchObject({ message: 'case 0 "c": expected.grad_weight: given but inputs.weight is missing' });
    expect(only({ ...bn({ training: true }), inputs: { input: t([1, 2, 1, 1]) }, expected: { output: t([1, 2, 1, 1]) } })).toMatchObject({
      message: expect.stringContaining('training needs more than one'),
    });
  });

  it('cross_entropy label_smoothing: 0 by default, in [0, 1]', () => {
    const ce = (attrs: object) => ({ op: 'cross_entropy', attrs, inputs: { logits: t([2, 3]), target: { shape: [2], data: [0, 2] } }, expected: { loss: { shape: [], data: 1 } } });
    expect(only(ce({}))).toMatchObject({ attrs: { labelSmoothing: 0 } });
    expect(only(ce({ label_smoothing: 0.1 }))).toMatchObject({ attrs: { labelSmoothing: 0.1 } });
    expect(only(ce({ label_smoothing: 1.5 }))).toMatchObject({ message: 'case 0 "c": attrs.label_smoothing: expected a number in [0, 1] (PyTorch\'s range), got 1.5' });
  });
});

describe('compareTensor', () => {
  const tol = { atol: 0.5, rtol: 0.25 }; // bound at |expected| = 4 is exactly 1.5 (all values exact in binary)
  const exp = (data: number[]) => ({ shape: [data.length], data });

  it('passes on the atol + rtol*|expected| boundary and fails just beyond it, on both sides', () => {
    expect(compareTensor([5.5, -2.5], exp([4, -4]), tol)).toEqual({ pass: true, worstAbsError: 1.5, worstIndex: 0, mismatches: 0 });
    expect(compareTensor([4, -5.5000001], exp([4, -4]), tol)).toMatchObject({ pass: false, worstIndex: 1, mismatches: 1 });
    expect(compareTensor([2.4999], exp([4]), tol).pass).toBe(false);
  });

  it('reports the worst element and counts every mismatch', () => {
    expect(compareTensor([0, 3, 1, -9], exp([0, 0, 0, 0]), tol)).toEqual({ pass: false, worstAbsError: 9, worstIndex: 3, mismatches: 3 });
  });

  it('fails on NaN or Infinity in got, even where expected is infinite too', () => {
    expect(compareTensor([1, NaN, 2], exp([1, 1, 2]), tol)).toEqual({ pass: false, worstAbsError: Infinity, worstIndex: 1, mismatches: 1 });
    expect(compareTensor([Infinity], exp([Infinity]), tol).pass).toBe(false);
    expect(compareTensor([1], exp([Infinity]), tol).pass).toBe(false);
  });

  it('fails on a length mismatch', () => {
    expect(compareTensor(new Float32Array(3), exp([0, 0]), tol)).toEqual({ pass: false, worstAbsError: Infinity, worstIndex: -1, mismatches: 3 });
  });

  it('passes two empty tensors', () => {
    expect(compareTensor([], exp([]), tol)).toEqual({ pass: true, worstAbsError: 0, worstIndex: -1, mismatches: 0 });
  });
});
