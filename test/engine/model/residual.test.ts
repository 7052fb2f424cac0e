// Residual blocks in the model spec: res(BODY) and res(BODY ; SHORTCUT) in the text form, the
// JSON form, canonical JSON, state_dict paths, nesting, and errors that name the block and the
// layer inside it.

import { describe, expect, it } from 'vitest';
import { canonicalJson, formatText, inferShapes, parseJson, parseText } from '../../../src/engine/model';
import { leafShapes } from '../../../src/engine/model/infer';

const BASIC = 'conv(16,3,p=1) bn relu res(conv(16,3,p=1) bn relu conv(16,3,p=1) bn) relu res(conv(32,3,s=2,p=1) bn relu conv(32,3,p=1) bn ; conv(32,1,s=2) bn) relu gap flatten linear(10)';

describe('res(...) in the text form', () => {
  it('reads a body and an optional shortcut, and writes them back', () => {
    const spec = parseText(BASIC, [3, 32, 32]);
    const block = spec.layers[3]!;
    expect(block).toMatchObject({ type: 'residual', shortcut: null });
    expect(spec.layers[5]).toMatchObject({ type: 'residual', shortcut: [{ type: 'conv2d', out_channels: 32, stride: [2, 2] }, { type: 'batch_norm2d' }] });
    expect(formatText(spec)).toBe(BASIC);
    expect(parseText(formatText(spec), spec.input)).toEqual(spec);
    expect(parseText('residual(relu, relu)', [1, 2, 2])).toEqual(parseText('res(relu relu)', [1, 2, 2]));
  });

  it('nests blocks and keeps their state_dict paths', () => {
    const spec = parseText('conv(8,3,p=1) res(res(conv(8,3,p=1) bn) relu res(conv(8,1) ; conv(8,1)))', [2, 6, 6]);
    expect(formatText(spec)).toBe('conv(8,3,p=1) res(res(conv(8,3,p=1) bn) relu res(conv(8,1) ; conv(8,1)))');
    const names = inferShapes(spec).layers[1]!.paramTensors.map((t) => t.name);
    expect(names).toEqual([
      '1.body.0.body.0.weight', '1.body.0.body.0.bias', '1.body.0.body.1.weight', '1.body.0.body.1.bias',
      '1.body.0.body.1.running_mean', '1.body.0.body.1.running_var', '1.body.0.body.1.num_batches_tracked',
      '1.body.2.body.0.weight', '1.body.2.body.0.bias', '1.body.2.shortcut.0.weight', '1.body.2.shortcut.0.bias',
    ]);
  });

  it.each([
    ['res', 'at column 4: res needs its layers in parentheses, e.g. res(conv(16,3,p=1) bn relu conv(16,3,p=1) bn) or res(conv(32,3,s=2,p=1) bn ; conv(32,1,s=2) bn)'],
    ['res()', 'at column 5: res needs at least one layer in its body'],
    ['res(relu ;)', 'at column 10: res has an empty shortcut after ";": give its layers (e.g. conv(32,1,s=2) bn), or leave ";" out for the identity'],
    ['res(relu ; relu ; relu)', 'at column 17: expected ")" to close res( at column 1, got a second ";" (a block has one body and one shortcut)'],
    ['conv(4,3) res(relu', 'at column 19: expected ")" to close res( at column 11, got the end of the text'],
    ['relu ; relu', 'at column 6: expected a layer name, got ";"'],
    ['res(cnv(3,3))', 'at column 5: unknown layer "cnv" (did you mean conv?)'],
  ])('%s → %s', (text, message) => {
    expect(() => parseText(text, [1, 4, 4])).toThrow(message);
  });
});

describe('residual in JSON', () => {
  const json = (layers: unknown[]) => ({ format: 'convlab-model/1', input: [4, 8, 8], layers });

  it('is {type, body, shortcut}, canonical with shortcut null for the identity', () => {
    const spec = parseText('res(conv(4,3,p=1) relu)', [4, 8, 8]);
    expect(canonicalJson(spec)).toContain('{"type":"residual","body":[{"type":"conv2d"');
    expect(canonicalJson(spec)).toContain('{"type":"relu"}],"shortcut":null}');
    expect(parseJson(canonicalJson(spec))).toEqual(spec);
    expect(parseJson(json([{ type: 'residual', body: [{ type: 'relu' }] }]))).toEqual(parseText('res(relu)', [4, 8, 8]));
  });

  it('names the path of a bad inner layer, and checks in_features inside a block', () => {
    expect(() => parseJson(json([{ type: 'residual', body: [{ type: 'relu' }, { type: 'conv2d', out_channels: 4, kernel_size: 3, strides: 1 }] }])))
      .toThrow('model JSON: layers[0].body[1]: Unrecognized key: "strides"');
    expect(() => parseJson(json([{ type: 'residual', body: [] }]))).toThrow('model JSON: layers[0]: residual: a residual block needs at least one layer in its body');
    expect(() => parseJson(json([{ type: 'residual', body: [{ type: 'relu' }], shortcut: [] }]))).toThrow('a residual shortcut needs at least one layer; leave it out for the identity');
    expect(() => parseJson(json([{ type: 'flatten' }, { type: 'residual', body: [{ type: 'linear', in_features: 200, out_features: 256 }] }])))
      .toThrow('layer 1.body.0 linear (in the residual block at layer 1) expects 200 inputs but receives 256');
  });
});

describe('shape inference of a block', () => {
  it('walks both branches, sums params and FLOPs, adds one FLOP per output element', () => {
    const shapes = inferShapes(parseText(BASIC, [3, 32, 32]));
    const block = shapes.layers[5]!;
    expect(block).toMatchObject({ index: 5, path: '5', type: 'residual', inputShape: [16, 32, 32], outputShape: [32, 16, 16] });
    expect(block.body!.map((l) => l.path)).toEqual(['5.body.0', '5.body.1', '5.body.2', '5.body.3', '5.body.4']);
    expect(block.shortcut!.map((l) => [l.path, l.outputShape])).toEqual([['5.shortcut.0', [32, 16, 16]], ['5.shortcut.1', [32, 16, 16]]]);
    const leaves = [...block.body!, ...block.shortcut!];
    expect(block.params).toBe(leaves.reduce((s, l) => s + l.params, 0));
    expect(block.forwardFlops).toBe(leaves.reduce((s, l) => s + l.forwardFlops, 0) + 32 * 16 * 16);
    expect(leafShapes(shapes.layers).length).toBe(shapes.layers.length - 2 + 5 + 5 + 2);
    expect(shapes.output).toEqual([10]);
    // The CIFAR ResNet stem + two blocks: conv 3·16·9+16, bn 32, block 1 2·(16·16·9+16+32), block 2 …
    expect(shapes.totalParams).toBe(leafShapes(shapes.layers).reduce((s, l) => s + l.params, 0));
  });

  it('points at the block and the layer inside it', () => {
    expect(() => inferShapes(parseText('conv(8,3) res(conv(8,3,p=1) maxpool(7))', [1, 7, 7])))
      .toThrow('layer 1.body.1 max_pool2d (in the residual block at layer 1): kernel 7×7 is larger than its padded input 5×5');
    expect(() => inferShapes(parseText('conv(8,3,p=1) res(conv(16,3,s=2,p=1) bn)', [1, 8, 8])))
      .toThrow('layer 1 residual: the body gives 16×4×4 but the identity shortcut (the block input) gives 8×8×8: give it a projection shortcut, e.g. res(… ; conv(16,1,s=2) bn)');
    expect(() => inferShapes(parseText('conv(8,3,p=1) res(conv(16,3,p=1) ; conv(8,1))', [1, 8, 8])))
      .toThrow('layer 1 residual: the body gives 16×8×8 but the shortcut gives 8×8×8: make the shortcut end in the same shape');
    expect(() => inferShapes(parseText('res(res(flatten linear(3)))', [1, 2, 2])))
      .toThrow('layer 0.body.0 residual (in the residual block at layer 0): the body gives 3 but the identity shortcut (the block input) gives 1×2×2');
  });
});
