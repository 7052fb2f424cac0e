import { describe, it, expect } from 'vitest';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeBuiltin, loadBuiltinFashionMnistMini, resolveDataRoot } from '../../../../src/main/services/datasets/builtinDataset';
import { loadDataset } from '../../../../src/main/services/datasets/loadDataset';
import { datasetSamples } from '../../../../src/main/services/datasets/datasetStore';

const repoData = resolve(__dirname, '../../../../data');

describe('builtin:fashion-mnist-mini', () => {
  it('finds data/ next to package.json, or where told', () => {
    expect(resolveDataRoot({ env: {} })).toBe(repoData);
    expect(resolveDataRoot({ env: { CONVLAB_DATA_ROOT: '/opt/x' } })).toBe('/opt/x');
    expect(resolveDataRoot({ dataRoot: '/opt/y', env: { CONVLAB_DATA_ROOT: '/opt/x' } })).toBe('/opt/y');
    expect(() => resolveDataRoot({ env: {}, startDir: '/' })).toThrow(/Set CONVLAB_DATA_ROOT/);
  });

  it('loads 10,000 train + 2,000 validation images with the Fashion-MNIST classes', async () => {
    const d = await loadDataset('/nonexistent-home', 'builtin:fashion-mnist-mini');
    expect(d.id).toBe('builtin:fashion-mnist-mini');
    expect(d.classes).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    expect([d.channels, d.height, d.width]).toEqual([1, 28, 28]);
    expect(d.images.length).toBe(12_000 * 784);
    expect(d.labels.length).toBe(12_000);
    expect(d.trainIndices.length).toBe(10_000);
    expect(d.valIndices.length).toBe(2_000);
    expect(d.trainIndices[9_999]).toBe(9_999);
    expect(d.valIndices[0]).toBe(10_000);
    // Class balance recorded in data/fashion-mnist-mini/README.md.
    const train = new Array(10).fill(0);
    const val = new Array(10).fill(0);
    for (const i of d.trainIndices) train[d.labels[i]]++;
    for (const i of d.valIndices) val[d.labels[i]]++;
    expect(train).toEqual([942, 1027, 1016, 1019, 974, 989, 1021, 1022, 990, 1000]);
    expect(val).toEqual([200, 203, 214, 190, 219, 195, 197, 200, 194, 188]);
    // Fashion-MNIST's well-known training statistics are mean ≈ 0.286, std ≈ 0.353 on the full set.
    expect(d.mean[0]).toBeGreaterThan(0.27);
    expect(d.mean[0]).toBeLessThan(0.3);
    expect(d.std[0]).toBeGreaterThan(0.34);
    expect(d.std[0]).toBeLessThan(0.37);
    // Cached per process: the second load is the same object.
    expect(await loadDataset('/elsewhere', 'builtin:fashion-mnist-mini')).toBe(d);
  });

  it('explains a missing data folder, and recovers once it exists', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'convlab-data-'));
    try {
      await expect(loadBuiltinFashionMnistMini({ dataRoot: empty })).rejects.toThrow(
        /built-in dataset is missing or unreadable in .*fashion-mnist-mini .*make_builtin_dataset/,
      );
      await mkdir(join(empty, 'fashion-mnist-mini'));
      await expect(loadBuiltinFashionMnistMini({ dataRoot: empty })).rejects.toThrow(/missing or unreadable/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('describes itself and serves thumbnails', async () => {
    const info = await describeBuiltin();
    expect(info).toMatchObject({ ref: 'builtin:fashion-mnist-mini', count: 12_000, split: { train: 10_000, val: 2_000 } });
    expect(info.source.path).toBe(join(repoData, 'fashion-mnist-mini'));
    expect(info.classCounts.reduce((a, b) => a + b, 0)).toBe(12_000);
    const s = await datasetSamples('/nonexistent-home', 'builtin:fashion-mnist-mini', 3);
    expect(s.samples).toHaveLength(30);
    expect(s.samples.map((x) => x.label)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9]);
    expect(s.samples[0].image.length).toBe(784);
    expect(s.samples[0].image.some((v) => v > 0)).toBe(true);
  });
});
