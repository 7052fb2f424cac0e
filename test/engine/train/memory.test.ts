import { describe, expect, it } from 'vitest';
import { inferShapes } from '../../../src/engine/model/infer';
import { parseText } from '../../../src/engine/model/parseText';
import { checkBatchFits, stepMemory } from '../../../src/engine/train/memory';

const spec = parseText('conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(10)', [1, 28, 28]);

describe('batch memory check', () => {
  it('finds the largest buffer of a step: the second conv im2col matrix at batch 64', () => {
    const m = stepMemory(inferShapes(spec, 64));
    // layer 3: 8·3·3 rows × 14·14 columns per sample
    expect(m.largestWhat).toBe('layer 3 conv2d im2col matrix');
    expect(m.largestBytes).toBe(64 * 72 * 196 * 4);
  });

  it('refuses a batch that exceeds the per-buffer limit and names one that fits', () => {
    const limit = 128 * 2 ** 20;
    expect(() => checkBatchFits(inferShapes(spec, 64), limit)).not.toThrow();
    expect(() => checkBatchFits(inferShapes(spec, 4096), limit)).toThrow(/batch 4096 does not fit in GPU memory: the layer 3 conv2d im2col matrix would take 220\.5 MiB, more than this GPU's 128\.0 MiB per-buffer limit\. Use --batch 2377 or less\./);
    expect(() => checkBatchFits(inferShapes(spec, 2377), limit)).not.toThrow();
  });
});
