// The batch memory check for inputs beyond 28×28: ResNet-20 on 96×96 colour images at batch 256
// on a limited adapter (WebGPU's default 128 MiB per binding) and on SwiftShader's 1 GiB, and the
// largest batch that fits, which an evaluation pass needs as much as a training step.

import { describe, expect, it } from 'vitest';
import { inferShapes } from '../../../src/engine/model/infer';
import { presetSpec } from '../../../src/engine/model/presets';
import { checkBatchFits, maxFittingBatch, stepMemory } from '../../../src/engine/train/memory';

const MiB = 2 ** 20;
const resnet20 = presetSpec('resnet20', [3, 96, 96], 10);

describe('batch memory check at 96×96', () => {
  it('finds the first residual conv\'s im2col matrix (16·3·3 rows × 96·96 columns per image) the largest buffer', () => {
    const m = stepMemory(inferShapes(resnet20, 256));
    expect(m.largestWhat).toBe('layer 3.body.0 conv2d im2col matrix');
    expect(m.largestBytes).toBe(256 * 144 * 9216 * 4);
  });

  it('names the batch that fits on a 128 MiB adapter, and that batch does fit', () => {
    expect(() => checkBatchFits(inferShapes(resnet20, 256), 128 * MiB)).toThrow(
      'batch 256 does not fit in GPU memory: the layer 3.body.0 conv2d im2col matrix would take 1296.0 MiB, ' +
        "more than this GPU's 128.0 MiB per-buffer limit. Use --batch 25 or less.",
    );
    expect(maxFittingBatch(inferShapes(resnet20, 256), 128 * MiB)).toBe(25);
    expect(() => checkBatchFits(inferShapes(resnet20, 25), 128 * MiB)).not.toThrow();
    expect(() => checkBatchFits(inferShapes(resnet20, 26), 128 * MiB)).toThrow(/Use --batch 25 or less/);
  });

  it('on a 1 GiB adapter (SwiftShader) batch 202 fits; the answer does not depend on the batch asked for', () => {
    expect(() => checkBatchFits(inferShapes(resnet20, 256), 1024 * MiB)).toThrow(/1296\.0 MiB, more than this GPU's 1024\.0 MiB per-buffer limit\. Use --batch 202 or less/);
    expect(maxFittingBatch(inferShapes(resnet20, 7), 1024 * MiB)).toBe(202);
    expect(maxFittingBatch(inferShapes(presetSpec('resnet8', [3, 32, 32], 10), 64), 1024 * MiB)).toBe(1820);
  });

  it('names at least batch 1 when a single image is too large', () => {
    expect(maxFittingBatch(inferShapes(resnet20, 1), 1 * MiB)).toBe(1);
  });
});
