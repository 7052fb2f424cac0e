// The presets: each parses, has the documented parameter count, and builds for other datasets
// (channels, sizes, class counts) or says which layer does not fit.

import { describe, expect, it } from 'vitest';
import { MODEL_PRESETS, findPreset, inferShapes, leafShapes, presetSpec, presetText } from '../../../src/engine/model';

const PARAMS: Record<string, number> = {
  reference: 9098, lenet5: 61706, 'cifar-small': 545290, resnet8: 78042, resnet20: 272474, 'depthwise-separable': 67914,
};

describe('model presets', () => {
  it.each(MODEL_PRESETS.map((p) => [p.id, p] as const))('%s has its documented size for its own input', (id, p) => {
    const shapes = inferShapes(presetSpec(id));
    expect(shapes.totalParams).toBe(PARAMS[id]);
    expect(shapes.output).toEqual([10]);
    expect(presetSpec(id).input).toEqual(p.input);
  });

  it('ResNet-8 and ResNet-20 are 6n+2 weight layers deep, CIFAR style', () => {
    const weighted = (id: string) => leafShapes(inferShapes(presetSpec(id)).layers).filter((l) => l.type === 'conv2d' || l.type === 'linear');
    // 8 and 20 counting the stem, two convs per block and the classifier, plus the projections.
    expect(weighted('resnet8').filter((l) => !l.path.includes('shortcut')).length).toBe(8);
    expect(weighted('resnet20').filter((l) => !l.path.includes('shortcut')).length).toBe(20);
    const names = inferShapes(presetSpec('resnet8')).layers.flatMap((l) => l.paramTensors.map((t) => t.name));
    expect(names).toContain('5.shortcut.1.running_mean');
    expect(names).toContain('3.body.3.weight');
    expect(inferShapes(presetSpec('resnet8')).layers.map((l) => l.outputShape)).toContainEqual([64, 8, 8]);
  });

  it('the depthwise-separable net uses depthwise 3×3 then pointwise 1×1 convolutions', () => {
    const convs = presetSpec('depthwise-separable').layers.filter((l) => l.type === 'conv2d');
    const depthwise = convs.filter((c) => c.type === 'conv2d' && c.groups > 1);
    expect(depthwise.length).toBe(4);
    for (const c of depthwise) expect(c).toMatchObject({ kernel_size: [3, 3] });
  });

  it.each([[1, 28, 28], [3, 96, 96], [4, 7, 5], [1, 1, 1]])('the ResNets and the depthwise net fit %j images and any class count', (...input) => {
    for (const id of ['resnet8', 'resnet20', 'depthwise-separable']) {
      const shapes = inferShapes(presetSpec(id, input, 3));
      expect(shapes.output).toEqual([3]);
      expect(shapes.input).toEqual(input);
    }
  });

  it('sizes the last linear to the classes and refuses what does not fit, naming the layer', () => {
    expect(presetText(findPreset('reference'), 47)).toBe('conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(47)');
    expect(inferShapes(presetSpec('lenet5', [3, 64, 48], 5)).output).toEqual([5]);
    expect(() => presetSpec('lenet5', [1, 8, 8])).toThrow('preset "lenet5" does not fit 1×8×8 images (layer 3 conv2d: kernel 5×5 (dilated span 5×5) is larger than the padded input 4×4); use larger images or a ResNet preset, which fits any size');
    expect(() => presetSpec('resnet9')).toThrow('unknown model preset "resnet9" (known: reference, lenet5, cifar-small, resnet8, resnet20, depthwise-separable)');
    expect(() => presetText(findPreset('resnet8'), 0)).toThrow('a preset needs a positive class count, got 0');
  });
});
