// The spec of sigmoid, tanh, gelu, silu, gap (AdaptiveAvgPool2d(1)) and conv padding_mode:
// both forms, canonical JSON, shape inference and the errors a user sees.

import { describe, expect, it } from 'vitest';
import { canonicalJson, formatText, inferShapes, parseJson, parseText } from '../../../src/engine/model';

describe('smooth activations', () => {
  it('are bare layers in both forms', () => {
    const spec = parseText('conv(4,3) sigmoid tanh gelu silu', [1, 5, 5]);
    expect(spec.layers.slice(1)).toEqual([{ type: 'sigmoid' }, { type: 'tanh' }, { type: 'gelu' }, { type: 'silu' }]);
    expect(formatText(spec)).toBe('conv(4,3) sigmoid tanh gelu silu');
    expect(parseJson(canonicalJson(spec))).toEqual(spec);
    expect(inferShapes(spec).layers[3]).toMatchObject({ type: 'gelu', outputShape: [4, 3, 3], forwardFlops: 36, params: 0 });
    expect(() => parseText('gelu(1)', [1, 2, 2])).toThrow('at column 6: gelu takes no positional arguments, got "1"');
  });
});

describe('gap = nn.AdaptiveAvgPool2d(1)', () => {
  it('keeps (C, 1, 1); a linear after it needs flatten, as in PyTorch', () => {
    const spec = parseText('conv(8,3) gap flatten linear(10)', [3, 9, 7]);
    expect(spec.layers[1]).toEqual({ type: 'adaptive_avg_pool2d', output_size: [1, 1] });
    const shapes = inferShapes(spec);
    expect(shapes.layers[1]).toMatchObject({ inputShape: [8, 7, 5], outputShape: [8, 1, 1], forwardFlops: 8 * 7 * 5 });
    expect(shapes.layers[3]!.paramTensors.map((t) => t.name)).toEqual(['3.weight', '3.bias']);
    expect(formatText(spec)).toBe('conv(8,3) gap flatten linear(10)');
    expect(() => inferShapes(parseText('conv(8,3) gap linear(10)', [3, 9, 7]))).toThrow('layer 2 linear receives a 8×1×1 feature map: add flatten before it');
  });

  it('reads its aliases and output_size 1 only', () => {
    const a = parseText('gap', [2, 4, 4]);
    expect(parseText('adaptive_avg_pool2d(1)', [2, 4, 4])).toEqual(a);
    expect(parseText('adaptiveavgpool(output_size=1x1)', [2, 4, 4])).toEqual(a);
    expect(parseJson({ format: 'convlab-model/1', input: [2, 4, 4], layers: [{ type: 'adaptive_avg_pool2d' }] })).toEqual(a);
    expect(() => parseText('gap(2)', [2, 4, 4])).toThrow('at column 1: gap: output_size must be 1 (global average pooling, the only adaptive pool supported), got 2');
    expect(() => inferShapes(parseText('flatten gap', [2, 4, 4]))).toThrow('layer 1 adaptive_avg_pool2d expects 4-D input');
  });
});

describe('conv padding_mode', () => {
  it('pm= in the text form, padding_mode in JSON; zeros is the default and is not stored', () => {
    const spec = parseText('conv(4,3,p=1,pm=reflect) conv(4,3,p=1,padding_mode=zeros) conv(4,2,p=same,pm=circular)', [1, 6, 6]);
    expect(spec.layers[0]).toMatchObject({ padding: [1, 1], padding_mode: 'reflect' });
    expect(spec.layers[1]).not.toHaveProperty('padding_mode');
    expect(spec.layers[2]).toMatchObject({ padding: 'same', padding_mode: 'circular' });
    expect(formatText(spec)).toBe('conv(4,3,p=1,pm=reflect) conv(4,3,p=1) conv(4,2,p=same,pm=circular)');
    expect(canonicalJson(spec)).toContain('"padding":[1,1],"padding_mode":"reflect","dilation"');
    expect(parseJson(canonicalJson(spec))).toEqual(spec);
    expect(parseJson({ format: 'convlab-model/1', input: [1, 6, 6], layers: [{ type: 'conv2d', out_channels: 4, kernel_size: 3, padding_mode: 'zeros' }] }).layers[0])
      .not.toHaveProperty('padding_mode');
  });

  it('names a bad mode, and the padding PyTorch refuses for the input at the layer', () => {
    expect(() => parseText('conv(4,3,pm=mirror)', [1, 6, 6])).toThrow('at column 13: conv padding_mode must be zeros, reflect, replicate, circular, got "mirror"');
    expect(() => parseJson({ format: 'convlab-model/1', input: [1, 6, 6], layers: [{ type: 'conv2d', out_channels: 4, kernel_size: 3, padding_mode: 'mirror' }] }))
      .toThrow("model JSON: layers[0].padding_mode: expected 'zeros', 'reflect', 'replicate' or 'circular'");
    expect(() => inferShapes(parseText('conv(4,3,p=1) maxpool(2) conv(4,3,p=3,pm=reflect)', [1, 6, 6])))
      .toThrow("layer 2 conv2d: padding_mode 'reflect' needs padding < the input height (3), got 3: PyTorch refuses it too; use less padding or 'replicate'");
    expect(() => inferShapes(parseText('conv(4,3,p=3,pm=replicate)', [1, 2, 2]))).not.toThrow();
  });
});
