// CPU tier: formatting, pixels, typed paths, layer field drafts, model analysis, run rows.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatFlops, formatPercent, formatShape } from '../../src/renderer/src/components/shell/format';
import { chwToRgba } from '../../src/renderer/src/components/datasets/pixels';
import { splitPaths } from '../../src/renderer/src/components/datasets/importPaths';
import { FieldError, draftFromLayer, initFromDraft } from '../../src/renderer/src/components/model/layerFields';
import { analyseModel, defaultLayer, transLabel } from '../../src/renderer/src/components/model/analysis';
import { buildLayer, LAYER_TYPES, parseTextLayers } from '../../src/engine/model';
import { isSoftwareAdapter, adapterSummary } from '../../src/renderer/src/components/shell/adapterProbe';

describe('format', () => {
  it('counts, SI quantities, bytes, durations, percentages, shapes', () => {
    expect(formatCount(9098)).toBe('9,098');
    expect(formatFlops(1_234_567)).toBe('1.23 MFLOP');
    expect(formatFlops(950)).toBe('950 FLOP');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12)).toBe('12 B');
    expect(formatDuration(4.25)).toBe('4.3 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('—');
    expect(formatPercent(0.9134)).toBe('91.3 %');
    expect(formatPercent(null)).toBe('—');
    expect(formatShape([8, 28, 28])).toBe('8×28×28');
  });
});

describe('chwToRgba', () => {
  it('repeats grey into RGB and interleaves planar colour', () => {
    expect(Array.from(chwToRgba(Uint8Array.from([7, 9]), 1, 1, 2))).toEqual([7, 7, 7, 255, 9, 9, 9, 255]);
    // R plane [1,2], G plane [3,4], B plane [5,6]
    expect(Array.from(chwToRgba(Uint8Array.from([1, 2, 3, 4, 5, 6]), 3, 1, 2))).toEqual([1, 3, 5, 255, 2, 4, 6, 255]);
  });

  it('refuses a short image', () => {
    expect(() => chwToRgba(new Uint8Array(3), 3, 1, 2)).toThrow(/expected 3×1×2/);
  });
});

describe('splitPaths', () => {
  it('takes one path per line, or commas on a single line', () => {
    expect(splitPaths('/a/b.bin\n\n  /c/d.bin  \n')).toEqual(['/a/b.bin', '/c/d.bin']);
    expect(splitPaths('/a.bin, /b.bin')).toEqual(['/a.bin', '/b.bin']);
    expect(splitPaths('   ')).toEqual([]);
  });
});

describe('layer field drafts', () => {
  it('round-trips every layer type through its draft', () => {
    for (const type of LAYER_TYPES) {
      const layer = defaultLayer(type);
      expect(buildLayer(initFromDraft(type, draftFromLayer(layer)))).toEqual(layer);
    }
  });

  it('reads pairs, same/valid padding and booleans', () => {
    const conv = buildLayer(initFromDraft('conv2d', { out_channels: '4', kernel_size: '3x2', stride: '1', padding: 'same', dilation: '1', groups: '1', bias: false }));
    expect(conv).toMatchObject({ kernel_size: [3, 2], bias: false });
    const valid = buildLayer(initFromDraft('conv2d', { ...draftFromLayer(conv), padding: 'valid' }));
    expect(valid).toMatchObject({ padding: [0, 0] });
  });

  it('names the field whose syntax is wrong', () => {
    const draft = { ...draftFromLayer(defaultLayer('conv2d')), kernel_size: '3x' };
    expect(() => initFromDraft('conv2d', draft)).toThrow(FieldError);
    expect(() => initFromDraft('conv2d', draft)).toThrow(/kernel/);
    expect(() => initFromDraft('dropout', { p: 'half' })).toThrow(/p: "half" is not a number/);
  });
});

describe('analyseModel', () => {
  const reference = parseTextLayers('conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(10)').map(buildLayer);

  it('gives shapes, params and the conv GEMMs of the reference model', () => {
    const a = analyseModel([1, 28, 28], reference, 64);
    expect(a.error).toBeNull();
    expect(a.totalParams).toBe(9098);
    expect(a.output).toEqual([10]);
    const conv1 = a.layers[0]!;
    expect(conv1.outputShape).toEqual([8, 28, 28]);
    expect(conv1.columnMatrix).toMatchObject({ rows: 9, cols: 784 });
    expect(conv1.gemms!.forward).toMatchObject({ m: 8, n: 784, k: 9 });
    expect(transLabel(conv1.gemms!.gradInput)).toBe("'t', 'n'");
  });

  it('stops at the failing layer, keeps the shapes before it', () => {
    const broken = [...reference];
    broken.splice(6, 1); // drop flatten: linear now receives a feature map
    const a = analyseModel([1, 28, 28], broken, 1);
    expect(a.error?.index).toBe(6);
    expect(a.error?.message).toMatch(/flatten/);
    expect(a.layers).toHaveLength(6);
    expect(a.output).toBeNull();
  });

  it('says what to do when there are no layers', () => {
    expect(analyseModel([1, 28, 28], [], 1).error?.message).toMatch(/add one/);
  });
});

describe('adapterProbe', () => {
  it('recognises software adapters and summarises', () => {
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', description: '' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'ampere', description: '', isFallbackAdapter: false })).toBe(false);
    expect(adapterSummary({ kind: 'ok', vendor: 'nvidia', architecture: 'ampere', description: '', software: false, timestamps: true })).toBe('nvidia · ampere');
  });
});
