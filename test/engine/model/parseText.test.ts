import { describe, expect, it } from 'vitest';
import { parseText } from '../../../src/engine/model/parseText';
import { canonicalJson } from '../../../src/engine/model/canonicalJson';
import { ModelSyntaxError } from '../../../src/engine/model/errors';

const IN = [3, 16, 16];
const one = (text: string) => {
  const spec = parseText(text, IN);
  expect(spec.layers).toHaveLength(1);
  return spec.layers[0];
};

function syntaxError(text: string): ModelSyntaxError {
  try {
    parseText(text, IN);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelSyntaxError);
    return e as ModelSyntaxError;
  }
  throw new Error(`no syntax error for ${text}`);
}

describe('every layer kind with its defaults', () => {
  it('conv', () => {
    expect(one('conv(8,3)')).toEqual({
      type: 'conv2d', out_channels: 8, kernel_size: [3, 3], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, bias: true,
    });
    expect(one('conv(6,3x5,s=2,p=1x2,d=2x1,g=3,bias=false)')).toEqual({
      type: 'conv2d', out_channels: 6, kernel_size: [3, 5], stride: [2, 2], padding: [1, 2], dilation: [2, 1], groups: 3, bias: false,
    });
    expect(one('conv2d(8, 3, stride=2, padding=valid)')).toMatchObject({ stride: [2, 2], padding: [0, 0] });
  });

  it("conv padding 'same' becomes the equal pair unless PyTorch pads asymmetrically", () => {
    expect(one('conv(8,3,p=same)')).toMatchObject({ padding: [1, 1] });
    expect(one('conv(8,5,p=same,d=2)')).toMatchObject({ padding: [4, 4] });
    expect(one('conv(8,4,p=same)')).toMatchObject({ padding: 'same' });
    expect(one('conv(8,3x2,p=same)')).toMatchObject({ padding: 'same' });
  });

  it('linear', () => {
    expect(one('linear(10)')).toEqual({ type: 'linear', out_features: 10, bias: true });
    expect(one('linear(10,bias=false)')).toEqual({ type: 'linear', out_features: 10, bias: false });
  });

  it('activations', () => {
    expect(one('relu')).toEqual({ type: 'relu' });
    expect(one('lrelu')).toEqual({ type: 'leaky_relu', negative_slope: 0.01 });
    expect(one('lrelu(0.1)')).toEqual({ type: 'leaky_relu', negative_slope: 0.1 });
    expect(one('leakyrelu(-0.2)')).toEqual({ type: 'leaky_relu', negative_slope: -0.2 });
  });

  it('max and average pools (stride defaults to the kernel)', () => {
    expect(one('maxpool(2)')).toEqual({
      type: 'max_pool2d', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceil_mode: false,
    });
    expect(one('maxpool(3x2,s=1,p=1,d=2,ceil)')).toEqual({
      type: 'max_pool2d', kernel_size: [3, 2], stride: [1, 1], padding: [1, 1], dilation: [2, 2], ceil_mode: true,
    });
    expect(one('avgpool(2)')).toEqual({
      type: 'avg_pool2d', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0], ceil_mode: false, count_include_pad: true,
    });
    expect(one('avgpool(3,s=2,p=1,ceil,nopad)')).toEqual({
      type: 'avg_pool2d', kernel_size: [3, 3], stride: [2, 2], padding: [1, 1], ceil_mode: true, count_include_pad: false,
    });
  });

  it('flatten, dropout, batch norm', () => {
    expect(one('flatten')).toEqual({ type: 'flatten' });
    expect(one('dropout')).toEqual({ type: 'dropout', p: 0.5 });
    expect(one('dropout(0.25)')).toEqual({ type: 'dropout', p: 0.25 });
    expect(one('bn')).toEqual({ type: 'batch_norm2d', eps: 1e-5, momentum: 0.1, affine: true });
    expect(one('batchnorm(eps=1e-3,momentum=0.01,affine=false)')).toEqual({ type: 'batch_norm2d', eps: 1e-3, momentum: 0.01, affine: false });
  });

  it('separates layers by whitespace or commas and keeps the input shape', () => {
    const spec = parseText(' conv(8,3) ,relu,\n\tmaxpool(2)  flatten,linear(10), ', IN);
    expect(spec.format).toBe('convlab-model/1');
    expect(spec.input).toEqual([3, 16, 16]);
    expect(spec.layers.map((l) => l.type)).toEqual(['conv2d', 'relu', 'max_pool2d', 'flatten', 'linear']);
  });
});

describe('equivalent texts give the same canonical JSON', () => {
  const same = (a: string, b: string) => expect(canonicalJson(parseText(a, IN))).toBe(canonicalJson(parseText(b, IN)));
  it('aliases, explicit defaults, ints vs pairs, same vs pair, valid vs 0', () => {
    same('conv(8,3,p=1) relu maxpool(2)', 'conv2d(8, 3x3, s=1, p=same, d=1, g=1, bias=true), relu, max_pool2d(2x2, s=2, p=0, d=1)');
    same('conv(8,3)', 'conv(8,3,padding=valid)');
    same('lrelu', 'leaky_relu(0.01)');
    same('bn dropout', 'batch_norm2d(eps=0.00001, momentum=0.1, affine=true) dropout(p=0.5)');
    same('avgpool(2)', 'avgpool2d(2,s=2x2)');
    expect(canonicalJson(parseText('conv(8,3)', IN))).not.toBe(canonicalJson(parseText('conv(8,3,bias=false)', IN)));
  });
});

describe('syntax errors name the column and the token', () => {
  const cases: [string, number, string, string][] = [
    ['conv(8,3,p=1) relu cnv(16,3)', 20, 'cnv', 'at column 20: unknown layer "cnv" (did you mean conv?)'],
    ['relu maxpol(2)', 6, 'maxpol', 'at column 6: unknown layer "maxpol" (did you mean maxpool?)'],
    ['softmax', 1, 'softmax', 'at column 1: unknown layer "softmax"'],
    ['conv(8,3', 9, '', 'at column 9: expected "," or ")" to close conv(, got the end of the text'],
    ['relu conv(8)', 6, 'conv', 'at column 6: conv needs (out, k), e.g. conv(8,3,p=1); kernel_size is missing'],
    ['conv', 1, 'conv', 'at column 1: conv needs (out, k), e.g. conv(8,3,p=1); out_channels is missing'],
    ['conv(8,3,q=2)', 10, 'q', 'at column 10: unknown option "q" for conv (known: s, stride, p, padding, pm, padding_mode, d, dilation, g, groups, bias)'],
    ['conv(8,3,strid=2)', 10, 'strid', 'at column 10: unknown option "strid" for conv (did you mean stride?) (known: s, stride, p, padding, pm, padding_mode, d, dilation, g, groups, bias)'],
    ['conv(8,3,1)', 10, '1', 'at column 10: conv takes 2 positional arguments (out_channels, kernel_size); name the others, e.g. s=…'],
    ['relu(1)', 6, '1', 'at column 6: relu takes no positional arguments, got "1"'],
    ['maxpool(2,nopad)', 11, 'nopad', 'at column 11: unknown option "nopad" for maxpool (known: ceil, s=, stride=, p=, padding=, d=, dilation=)'],
    ['conv(8,3,bias)', 10, 'bias', 'at column 10: conv option "bias" needs a value, e.g. bias=…'],
    ['conv(8, 1.5)', 9, '1.5', 'at column 9: conv kernel_size must be an integer or HxW (e.g. 3x5), got "1.5"'],
    ['conv(8,3,bias=no)', 15, 'no', 'at column 15: conv bias must be true or false, got "no"'],
    ['conv(8,3,p=full)', 12, 'full', 'at column 12: conv padding must be an integer, HxW, same or valid, got "full"'],
    ['conv(8,3x)', 8, '3x', 'at column 8: "3x" is not a number or a size like 3x5'],
    ['relu # comment', 6, '#', 'at column 6: unexpected character "#"'],
    ['relu 3', 6, '3', 'at column 6: expected a layer name, got "3"'],
    ['conv(8,3,s=1,s=2)', 16, '2', 'at column 16: conv stride is given twice'],
    ['  ', 1, '', 'at column 1: empty model: give at least one layer, e.g. conv(8,3,p=1) relu flatten linear(10)'],
  ];
  for (const [text, column, token, message] of cases) {
    it(message, () => {
      const e = syntaxError(text);
      expect(e.message).toBe(message);
      expect(e.column).toBe(column);
      expect(e.token).toBe(token);
    });
  }
});

describe('argument ranges are checked at the layer name', () => {
  const cases: [string, string][] = [
    ['relu conv(0,3)', 'at column 6: conv: out_channels must be a positive integer, got 0'],
    ['conv(8,0)', 'at column 1: conv: kernel_size must be a positive integer or a pair of them, got 0'],
    ['conv(8,3,s=0)', 'at column 1: conv: stride must be a positive integer or a pair of them, got 0'],
    ['conv(8,3,s=2,p=same)', "at column 1: conv: padding 'same' needs stride 1 (PyTorch refuses it for strided convolutions), got stride [2, 2]"],
    ['conv(9,3,g=2)', 'at column 1: conv: out_channels (9) must be divisible by groups (2)'],
    ['maxpool(2,p=2)', 'at column 1: maxpool: padding [2, 2] must be at most half the kernel 2×2, as in PyTorch'],
    ['dropout(1.5)', 'at column 1: dropout: p must be between 0 and 1, got 1.5'],
    ['bn(eps=0)', 'at column 1: bn: eps must be greater than 0, got 0'],
    ['linear(-3)', 'at column 1: linear: out_features must be a positive integer, got -3'],
  ];
  for (const [text, message] of cases) {
    it(message, () => expect(syntaxError(text).message).toBe(message));
  }

  it('refuses an input shape that is not [C, H, W]', () => {
    expect(() => parseText('relu', [28, 28])).toThrow('input must be [C, H, W] of positive integers, got [28, 28]');
  });
});
