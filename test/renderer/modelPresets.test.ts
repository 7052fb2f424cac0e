// CPU tier: the model store's preset picker takes the selected dataset's image shape and class
// count, and rebuilds a preset (still as loaded) when the dataset changes. The renderer's lab
// module is not used here (no dataset is read), so it is replaced by an empty object.

import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasetEntry } from '../../src/renderer/src/stores/datasets';

vi.mock('../../src/renderer/src/lab', () => ({ lab: {} }));
const { useDatasetsStore } = await import('../../src/renderer/src/stores/datasets');
const { useModelStore } = await import('../../src/renderer/src/stores/model');

const entry = (id: string, channels: number, height: number, width: number, classes: number): DatasetEntry => ({
  id, name: id, builtin: true, sourceKind: 'folder', createdAt: null, channels, height, width,
  classes: Array.from({ length: classes }, (_, i) => `c${i}`), count: null, classCounts: null, split: null, skipped: [],
});

beforeEach(() => setActivePinia(createPinia()));

describe('model presets follow the selected dataset', () => {
  it('builds each preset for the dataset shape and class count', () => {
    const datasets = useDatasetsStore();
    datasets.builtin = entry('colour-48', 3, 48, 40, 5);
    datasets.selectedId = 'colour-48';
    const model = useModelStore();
    for (const id of ['resnet8', 'resnet20', 'depthwise-separable', 'reference', 'cifar-small']) {
      model.loadPreset(id);
      expect(model.input).toEqual([3, 48, 40]);
      expect(model.valid, `${id}: ${model.analysis.error?.message}`).toBe(true);
      expect(model.analysis.output).toEqual([5]);
      expect(model.presetId).toBe(id);
    }
  });

  it('rebuilds a loaded preset when another dataset is selected, and leaves an edited model alone', async () => {
    const datasets = useDatasetsStore();
    datasets.builtin = entry('grey-28', 1, 28, 28, 10);
    datasets.selectedId = 'grey-28';
    const model = useModelStore();
    model.loadPreset('resnet8');
    expect(model.analysis.output).toEqual([10]);
    datasets.builtin = entry('grey-28', 1, 96, 96, 3);
    await Promise.resolve();
    expect(model.input).toEqual([1, 96, 96]);
    expect(model.analysis.output).toEqual([3]);
    model.removeLayer(model.layers.length - 1);
    model.addLayer('linear');
    datasets.builtin = entry('grey-28', 1, 28, 28, 7);
    await Promise.resolve();
    expect(model.presetId).toBeNull();
    expect(model.analysis.output).toEqual([10]);
  });

  it('keeps a preset that does not fit tiny images, with the shape error at its layer', () => {
    const datasets = useDatasetsStore();
    datasets.builtin = entry('tiny', 1, 5, 5, 4);
    datasets.selectedId = 'tiny';
    const model = useModelStore();
    model.loadPreset('lenet5');
    expect(model.valid).toBe(false);
    expect(model.analysis.error?.message).toMatch(/layer 3 conv2d/);
    model.loadPreset('resnet8');
    expect(model.valid).toBe(true);
    expect(model.analysis.output).toEqual([4]);
  });
});
