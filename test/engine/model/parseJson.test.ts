import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/engine/model/canonicalJson';
import { ModelJsonError, ModelShapeError } from '../../../src/engine/model/errors';
import { parseJson } from '../../../src/engine/model/parseJson';
import { parseText } from '../../../src/engine/model/parseText';
import { presetSpec } from '../../../src/engine/model/presets';

const model = (layers: unknown[], input: unknown = [1, 28, 28]) => ({ format: 'convlab-model/1', input, layers });

function jsonError(source: unknown): string {
  try {
    parseJson(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelJsonError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${JSON.stringify(source)}`);
}

describe('JSON form', () => {
  it('reads PyTorch-style ints, fills every default, and equals the text form', () => {
    const spec = parseJson(model([
      { type: 'conv2d', out_channels: 8, kernel_size: 3, padding: 1 },
      { type: 'relu' },
      { type: 'max_pool2d', kernel_size: 2 },
      { type: 'conv2d', out_channels: 16, kernel_size: [3, 3], padding: 'same' },
      { type: 'relu' },
      { type: 'max_pool2d', kernel_size: 2, stride: null },
      { type: 'flatten' },
      { type: 'linear', in_features: 784, out_features: 10 },
    ]));
    expect(spec).toEqual(presetSpec('reference'));
  });

  it('reads every layer kind with explicit fields', () => {
    const layers = [
      { type: 'conv2d', out_channels: 6, kernel_size: [3, 5], stride: [2, 1], padding: 'valid', dilation: [1, 2], groups: 3, bias: false },
      { type: 'leaky_relu', negative_slope: 0.2 },
      { type: 'avg_pool2d', kernel_size: 3, stride: 1, padding: 1, ceil_mode: true, count_include_pad: false },
      { type: 'max_pool2d', kernel_size: 2, stride: 1, padding: 0, dilation: 2, ceil_mode: true },
      { type: 'batch_norm2d', eps: 0.001, momentum: 0.2, affine: false },
      { type: 'dropout', p: 0.1 },
      { type: 'flatten' },
      { type: 'linear', out_features: 5, bias: false },
    ];
    const spec = parseJson(JSON.stringify(model(layers, [3, 20, 20])));
    expect(spec.layers[0]).toEqual({
      type: 'conv2d', out_channels: 6, kernel_size: [3, 5], stride: [2, 1], padding: [0, 0], dilation: [1, 2], groups: 3, bias: false,
    });
    expect(spec.layers[2]).toEqual({ type: 'avg_pool2d', kernel_size: [3, 3], stride: [1, 1], padding: [1, 1], ceil_mode: true, count_include_pad: false });
    expect(spec.layers[3]).toEqual({ type: 'max_pool2d', kernel_size: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [2, 2], ceil_mode: true });
    expect(spec).toEqual(parseText('conv(6,3x5,s=2x1,d=1x2,g=3,bias=false) lrelu(0.2) avgpool(3,s=1,p=1,ceil,nopad) maxpool(2,s=1,d=2,ceil) bn(eps=0.001,momentum=0.2,affine=false) dropout(0.1) flatten linear(5,bias=false)', [3, 20, 20]));
  });

  it('writes one layer per line with keys in a fixed order', () => {
    expect(canonicalJson(parseText('conv(4,3) flatten linear(2)', [1, 5, 5]))).toBe([
      '{',
      '  "format": "convlab-model/1",',
      '  "input": [1,5,5],',
      '  "layers": [',
      '    {"type":"conv2d","out_channels":4,"kernel_size":[3,3],"stride":[1,1],"padding":[0,0],"dilation":[1,1],"groups":1,"bias":true},',
      '    {"type":"flatten"},',
      '    {"type":"linear","out_features":2,"bias":true}',
      '  ]',
      '}',
      '',
    ].join('\n'));
  });

  it('checks a given in_features against the inferred size, then drops it', () => {
    const layers = (inFeatures: number) => [
      { type: 'conv2d', out_channels: 8, kernel_size: 3, padding: 1 }, { type: 'relu' }, { type: 'max_pool2d', kernel_size: 2 },
      { type: 'conv2d', out_channels: 16, kernel_size: 3, padding: 1 }, { type: 'relu' }, { type: 'max_pool2d', kernel_size: 2 },
      { type: 'flatten' }, { type: 'linear', in_features: inFeatures, out_features: 10 },
    ];
    expect(parseJson(model(layers(784))).layers[7]).toEqual({ type: 'linear', out_features: 10, bias: true });
    expect(() => parseJson(model(layers(784), [1, 20, 20]))).toThrow(ModelShapeError);
    expect(() => parseJson(model(layers(784), [1, 20, 20]))).toThrow('layer 7 linear expects 784 inputs but receives 400');
  });
});

describe('JSON errors name the path', () => {
  const cases: [unknown, string][] = [
    ['{"format": ', 'model JSON: not valid JSON ('],
    [[1, 2], 'model JSON: expected an object {"format": "convlab-model/1", "input": [C, H, W], "layers": [...]}'],
    [{ format: 'convlab-model/2', input: [1, 2, 2], layers: [] }, 'model JSON: format: expected "convlab-model/1", got "convlab-model/2"'],
    [{ input: [1, 2, 2], layers: [] }, 'model JSON: format: expected "convlab-model/1", got nothing'],
    [{ ...model([{ type: 'relu' }]), name: 'x' }, 'model JSON: Unrecognized key: "name"'],
    [model([{ type: 'relu' }], [28, 28]), 'model JSON: input: input must be [C, H, W] of positive integers, got [28, 28]'],
    [model([]), 'model JSON: layers: a model needs at least one layer'],
    [model([{ type: 'conv' }]), 'model JSON: layers[0].type: unknown layer type "conv" (did you mean conv2d?)'],
    [model([{ type: 'relu' }, 'relu']), 'model JSON: layers[1]: expected an object with a "type"'],
    [model([{ out_features: 3 }]), 'model JSON: layers[0].type: expected one of conv2d, linear, relu, leaky_relu, sigmoid, tanh, gelu, silu, max_pool2d, avg_pool2d, adaptive_avg_pool2d, flatten, dropout, batch_norm2d, residual'],
    [model([{ type: 'conv2d', out_channels: 8, kernel_size: 3, strides: 2 }]), 'model JSON: layers[0]: Unrecognized key: "strides"'],
    [model([{ type: 'conv2d', out_channels: 8, kernel_size: '3' }]), 'model JSON: layers[0].kernel_size: expected an integer or a pair [h, w]'],
    [model([{ type: 'conv2d', out_channels: 8, kernel_size: 3, padding: 'full' }]), "model JSON: layers[0].padding: expected an integer, a pair [h, w], 'same' or 'valid'"],
    [model([{ type: 'relu' }, { type: 'linear', out_features: 2.5 }]), 'model JSON: layers[1]: linear: out_features must be a positive integer, got 2.5'],
    [model([{ type: 'max_pool2d', kernel_size: 2, padding: 2 }]), 'model JSON: layers[0]: max_pool2d: padding [2, 2] must be at most half the kernel 2×2, as in PyTorch'],
    [model([{ type: 'batch_norm2d', affine: 'yes' }]), 'model JSON: layers[0].affine: Invalid input: expected boolean, received string'],
  ];
  for (const [source, message] of cases) {
    it(message, () => {
      const got = jsonError(source);
      if (message.endsWith('(')) expect(got.startsWith(message)).toBe(true);
      else expect(got).toBe(message);
    });
  }
});
