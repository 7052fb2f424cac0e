import { describe, expect, it } from 'vitest';
import { inferShapes } from '../../../src/engine/model/infer';
import { parseText } from '../../../src/engine/model/parseText';
import { MODEL_PRESETS, presetSpec } from '../../../src/engine/model/presets';
import { ModelShapeError } from '../../../src/engine/model/errors';

const shapesOf = (text: string, input: number[], batch?: number) => inferShapes(parseText(text, input), batch);

function shapeError(text: string, input: number[]): string {
  try {
    inferShapes(parseText(text, input));
  } catch (e) {
    expect(e).toBeInstanceOf(ModelShapeError);
    return (e as Error).message;
  }
  throw new Error(`no shape error for ${text}`);
}

describe('inferShapes on the reference model', () => {
  const r = inferShapes(presetSpec('reference'));

  it('walks the shapes [1,28,28] → … → [10]', () => {
    expect(r.layers.map((l) => l.outputShape)).toEqual([
      [8, 28, 28], [8, 28, 28], [8, 14, 14], [16, 14, 14], [16, 14, 14], [16, 7, 7], [784], [10],
    ]);
    expect(r.layers.map((l) => l.inputShape)[7]).toEqual([784]);
    expect(r.output).toEqual([10]);
    expect(r.outputSize).toBe(10);
  });

  it('counts 8·9+8 + 16·72+16 + 784·10+10 = 9,098 parameters', () => {
    expect(r.layers.map((l) => l.params)).toEqual([80, 0, 0, 1168, 0, 0, 0, 7850]);
    expect(r.totalParams).toBe(8 * 9 + 8 + 16 * 72 + 16 + 784 * 10 + 10);
    expect(r.totalParams).toBe(9098);
  });

  it('names tensors as nn.Sequential state_dict does', () => {
    expect(r.layers.flatMap((l) => l.paramTensors.map((t) => [t.name, t.shape]))).toEqual([
      ['0.weight', [8, 1, 3, 3]], ['0.bias', [8]],
      ['3.weight', [16, 8, 3, 3]], ['3.bias', [16]],
      ['7.weight', [10, 784]], ['7.bias', [10]],
    ]);
  });

  it('counts forward FLOPs per sample as 2 per multiply-add plus elementwise work', () => {
    const conv0 = 2 * 8 * 784 * 9 + 8 * 784;
    expect(r.layers[0]!.forwardFlops).toBe(conv0);
    expect(r.layers[1]!.forwardFlops).toBe(8 * 784);
    expect(r.layers[2]!.forwardFlops).toBe(8 * 196 * 4);
    expect(r.layers[6]!.forwardFlops).toBe(0);
    expect(r.layers[7]!.forwardFlops).toBe(2 * 784 * 10 + 10);
    expect(r.totalFlops).toBe(r.layers.reduce((s, l) => s + l.forwardFlops, 0));
  });

  it('only conv2d and linear carry GEMMs; only conv2d a column matrix', () => {
    expect(r.layers.map((l) => l.gemms !== undefined)).toEqual([true, false, false, true, false, false, false, true]);
    expect(r.layers.map((l) => l.columnMatrix !== undefined)).toEqual([true, false, false, true, false, false, false, false]);
  });
});

describe('GEMMs', () => {
  it('the worked example (3×9×9, ten 3×3 filters, stride 3) has grad-input m=27, n=9, k=10 and a 27×9 column matrix', () => {
    const conv = shapesOf('conv(10,3,s=3)', [3, 9, 9]).layers[0]!;
    expect(conv.outputShape).toEqual([10, 3, 3]);
    const gi = conv.gemms!.gradInput;
    expect([gi.m, gi.n, gi.k, gi.transA, gi.transB]).toEqual([27, 9, 10, true, false]);
    expect(conv.gemms!.forward).toMatchObject({ m: 10, n: 9, k: 27, transA: false, transB: false, batchCount: 1, reduceCount: 1 });
    expect(conv.gemms!.gradWeight).toMatchObject({ m: 10, n: 27, k: 9, transA: false, transB: true, batchCount: 1, reduceCount: 1 });
    expect(conv.columnMatrix).toEqual({ rows: 27, cols: 9, elementsPerSample: 243, elementsPerBatch: 243 });
  });

  it('batches over samples and groups; grad-weight reduces over the batch', () => {
    const conv = shapesOf('conv(8,3,g=2)', [4, 6, 6], 5).layers[0]!;
    // per group: O/G = 4, Kg = 2·9 = 18, L = 16
    expect(conv.gemms!.forward).toMatchObject({ m: 4, n: 16, k: 18, batchCount: 10, reduceCount: 1, flops: 2 * 4 * 16 * 18 * 10 });
    expect(conv.gemms!.gradInput).toMatchObject({ m: 18, n: 16, k: 4, batchCount: 10, reduceCount: 1 });
    expect(conv.gemms!.gradWeight).toMatchObject({ m: 4, n: 18, k: 16, batchCount: 2, reduceCount: 5 });
    expect(conv.gemms!.gradWeight.spec.beta).toBe(1);
    expect(conv.columnMatrix).toEqual({ rows: 36, cols: 16, elementsPerSample: 576, elementsPerBatch: 5 * 576 });
    expect(conv.paramTensors[0]!.shape).toEqual([8, 2, 3, 3]);
  });

  it('linear follows addmm(bias, x, Wᵀ)', () => {
    const lin = shapesOf('flatten linear(10)', [1, 4, 5], 32).layers[1]!;
    expect(lin.gemms!.forward).toMatchObject({ m: 32, n: 10, k: 20, transA: false, transB: true });
    expect(lin.gemms!.gradInput).toMatchObject({ m: 32, n: 20, k: 10, transA: false, transB: false });
    expect(lin.gemms!.gradWeight).toMatchObject({ m: 10, n: 20, k: 32, transA: true, transB: false });
  });

  it('per-sample numbers do not depend on the batch', () => {
    const one = shapesOf('conv(8,3,p=1) relu flatten linear(10)', [1, 8, 8]);
    const many = shapesOf('conv(8,3,p=1) relu flatten linear(10)', [1, 8, 8], 64);
    expect(many.totalFlops).toBe(one.totalFlops);
    expect(many.totalParams).toBe(one.totalParams);
    expect(many.layers[0]!.columnMatrix!.elementsPerBatch).toBe(64 * one.layers[0]!.columnMatrix!.elementsPerBatch);
  });
});

// Expected values printed by PyTorch 1.13 (nn.Sequential of the same layers, input batch of 2):
// per-layer output shapes, state_dict keys and shapes, sum of p.numel() over parameters().
describe('agreement with PyTorch', () => {
  it('cifar-small preset', () => {
    const r = inferShapes(presetSpec('cifar-small'));
    expect(r.layers.map((l) => l.outputShape)).toEqual([
      [32, 32, 32], [32, 32, 32], [32, 32, 32], [32, 16, 16], [64, 16, 16], [64, 16, 16], [64, 16, 16], [64, 8, 8],
      [4096], [128], [128], [128], [10],
    ]);
    expect(r.layers.flatMap((l) => l.paramTensors.map((t) => [t.name, t.shape]))).toEqual([
      ['0.weight', [32, 3, 3, 3]], ['0.bias', [32]],
      ['1.weight', [32]], ['1.bias', [32]], ['1.running_mean', [32]], ['1.running_var', [32]], ['1.num_batches_tracked', []],
      ['4.weight', [64, 32, 3, 3]], ['4.bias', [64]],
      ['5.weight', [64]], ['5.bias', [64]], ['5.running_mean', [64]], ['5.running_var', [64]], ['5.num_batches_tracked', []],
      ['9.weight', [128, 4096]], ['9.bias', [128]],
      ['12.weight', [10, 128]], ['12.bias', [10]],
    ]);
    expect(r.totalParams).toBe(545290);
  });

  it('asymmetric same padding, ceil-mode pools, strides, groups, no bias', () => {
    const text = 'conv(6,4x2,p=same,d=1x3) maxpool(3,s=2,p=1,ceil) conv(9,3,s=2x1,g=3,bias=false) ' +
      'avgpool(2,s=1,ceil,nopad) maxpool(1x2,ceil) flatten lrelu(0.2) linear(3)';
    const r = shapesOf(text, [4, 11, 10]);
    expect(r.layers.map((l) => l.outputShape)).toEqual([
      [6, 11, 10], [6, 6, 6], [9, 2, 4], [9, 1, 3], [9, 1, 2], [18], [18], [3],
    ]);
    expect(r.layers.flatMap((l) => l.paramTensors.map((t) => [t.name, t.shape]))).toEqual([
      ['0.weight', [6, 4, 4, 2]], ['0.bias', [6]], ['2.weight', [9, 2, 3, 3]], ['7.weight', [3, 18]], ['7.bias', [3]],
    ]);
    expect(r.totalParams).toBe(417);
  });

  it('lenet5 preset: 61,706 parameters, 16×5×5 before the classifier', () => {
    const r = inferShapes(presetSpec('lenet5'));
    expect(r.layers[6]!.outputShape).toEqual([400]);
    expect(r.totalParams).toBe(156 + 2416 + 48120 + 10164 + 850);
  });

  it('batch norm without affine has buffers but no parameters', () => {
    const bn = shapesOf('bn(affine=false)', [5, 2, 2]).layers[0]!;
    expect(bn.params).toBe(0);
    expect(bn.paramTensors.map((t) => [t.name, t.kind])).toEqual([
      ['0.running_mean', 'buffer'], ['0.running_var', 'buffer'], ['0.num_batches_tracked', 'buffer'],
    ]);
  });
});

describe('shape errors name the layer, its type and both numbers', () => {
  it('linear given a feature map', () => {
    expect(shapeError('conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu linear(10)', [1, 14, 14]))
      .toBe('layer 5 linear receives a 16×7×7 feature map: add flatten before it');
  });

  it('conv after flatten', () => {
    expect(shapeError('flatten conv(8,3)', [1, 28, 28]))
      .toBe('layer 1 conv2d expects 4-D input (N, C, H, W) but receives 2-D (N, 784): it needs a feature map, so put it before flatten');
  });

  it('pool kernel larger than its padded input', () => {
    expect(shapeError('conv(8,3,p=1) relu maxpool(2) maxpool(5)', [1, 8, 8]))
      .toBe('layer 3 max_pool2d: kernel 5×5 is larger than its padded input 4×4');
    expect(shapeError('maxpool(1x3,d=2)', [1, 4, 4]))
      .toBe('layer 0 max_pool2d: kernel 1×3 (dilated span 1×5) is larger than its padded input 4×4');
  });

  it('conv kernel larger than its padded input, and groups that do not divide the channels', () => {
    expect(shapeError('conv(4,5)', [1, 4, 4])).toBe('layer 0 conv2d: kernel 5×5 (dilated span 5×5) is larger than the padded input 4×4');
    expect(shapeError('conv(4,3,g=2)', [3, 8, 8])).toBe('layer 0 conv2d: in_channels (3) must be divisible by groups (2)');
  });

  it('batch norm after flatten', () => {
    expect(shapeError('flatten bn', [2, 3, 3])).toMatch(/^layer 1 batch_norm2d expects 4-D input \(N, C, H, W\) but receives 2-D \(N, 18\)/);
  });

  it('refuses a batch that is not a positive integer', () => {
    expect(() => shapesOf('relu', [1, 2, 2], 0)).toThrow('inferShapes: batch must be a positive integer, got 0');
  });
});

describe('presets', () => {
  it('every preset parses, has a name and description, and ends in 10 classes', () => {
    expect(MODEL_PRESETS.map((p) => p.id)).toEqual(['reference', 'lenet5', 'cifar-small', 'resnet8', 'resnet20', 'depthwise-separable']);
    for (const p of MODEL_PRESETS) {
      expect(p.name.length).toBeGreaterThan(0);
      expect(p.description.length).toBeGreaterThan(0);
      expect(inferShapes(presetSpec(p.id)).outputSize).toBe(10);
    }
    expect(() => presetSpec('vgg')).toThrow('unknown model preset "vgg" (known: reference, lenet5, cifar-small, resnet8, resnet20, depthwise-separable)');
  });
});
