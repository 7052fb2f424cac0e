// CPU tier: legends name parameters and layers by type and index, residual blocks included.
import { describe, expect, it } from 'vitest';
import { parseText } from '../../src/engine/model';
import { layerAt, layerLegendName, paramLegendName } from '../../src/renderer/src/components/charts/paramNames';

describe('parameter legend names', () => {
  const reference = parseText('conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(10)', [1, 28, 28]);

  it('are the layer type and its state_dict index', () => {
    expect(paramLegendName('0.weight', reference)).toBe('conv2d #0 weight');
    expect(paramLegendName('3.bias', reference)).toBe('conv2d #3 bias');
    expect(paramLegendName('7.weight', reference)).toBe('linear #7 weight');
  });

  it('keep the whole path inside residual blocks, body and shortcut', () => {
    const spec = {
      layers: [
        { type: 'conv2d' },
        { type: 'residual', body: [{ type: 'conv2d' }, { type: 'batch_norm2d' }], shortcut: [{ type: 'conv2d' }] },
      ],
    } as unknown as Parameters<typeof paramLegendName>[1];
    expect(paramLegendName('1.body.1.running_mean', spec)).toBe('batch_norm2d #1.body.1 running_mean');
    expect(paramLegendName('1.shortcut.0.weight', spec)).toBe('conv2d #1.shortcut.0 weight');
    expect(layerAt(spec, '1')?.type).toBe('residual');
    expect(layerAt(spec, '1.body')).toBeNull();
  });

  it('fall back to the key when the spec does not explain it', () => {
    expect(paramLegendName('9.weight', reference)).toBe('9.weight');
    expect(paramLegendName('0.weight', null)).toBe('0.weight');
    expect(paramLegendName('1.body.0.weight', reference)).toBe('1.body.0.weight');
    expect(paramLegendName('weight', reference)).toBe('weight');
  });

  it('kernel-timing layer names read the same way', () => {
    expect(layerLegendName('3.conv2d')).toBe('conv2d #3');
    expect(layerLegendName('4.body.0.conv2d')).toBe('conv2d #4.body.0');
    expect(layerLegendName('data')).toBe('data');
    expect(layerLegendName('optimizer')).toBe('optimizer');
    expect(layerLegendName('1.relu+2.max_pool2d')).toBe('relu #1+max_pool2d #2');
  });
});
