import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetWriter } from '../../../../src/main/services/datasets/datasetWriter';
import { DATASET_ID_PATTERN, parseDatasetManifest } from '../../../../src/shared/datasetFormat';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-writer-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const meta = {
  name: 'tiny',
  source: { kind: 'idx' as const, path: '/somewhere' },
  channels: 1 as const,
  height: 2,
  width: 2,
  classes: ['a', 'b'],
};

describe('DatasetWriter', () => {
  it('commits images, labels, split and a valid manifest, and leaves no temp folder', async () => {
    const w = await DatasetWriter.create(home, meta);
    for (let i = 0; i < 20; i++) await w.append(new Uint8Array([i, i, 255, 0]), i % 2);
    const m = await w.commit({ valFraction: 0.2, seed: 7, report: { skipped: [{ file: 'x.txt', reason: 'not an image' }] } });

    expect(m.id).toMatch(DATASET_ID_PATTERN);
    expect(m.count).toBe(20);
    expect(m.classCounts).toEqual([10, 10]);
    expect(m.split).toEqual({ train: 16, val: 4, valFraction: 0.2, seed: 7 });
    expect(m.report.skipped).toEqual([{ file: 'x.txt', reason: 'not an image' }]);
    expect(await readdir(join(home, 'datasets'))).toEqual([m.id]);

    const dir = join(home, 'datasets', m.id);
    const images = await readFile(join(dir, 'images.bin'));
    expect(images.length).toBe(80);
    expect([...images.subarray(4 * 3, 4 * 4)]).toEqual([3, 3, 255, 0]);
    const labels = await readFile(join(dir, 'labels.bin'));
    expect([...labels]).toEqual(Array.from({ length: 20 }, (_, i) => i % 2));
    const split = await readFile(join(dir, 'split.bin'));
    expect(split.length).toBe(20);
    // 2 val images per class (stratified: 10 × 0.2 each).
    for (const cls of [0, 1]) expect([...split].filter((f, i) => f === 1 && labels[i] === cls).length).toBe(2);

    const onDisk = parseDatasetManifest(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')), 'test');
    expect(onDisk).toEqual(m);
  });

  it('computes mean and std over the train split only, in 0..1 units', async () => {
    const w = await DatasetWriter.create(home, { ...meta, classes: ['only'] });
    // All pixels are 51 = 0.2 × 255, so whichever images land in train the answer is exact.
    for (let i = 0; i < 10; i++) await w.append(new Uint8Array([51, 51, 51, 51]), 0);
    const m = await w.commit({ valFraction: 0.3, seed: 1, report: { skipped: [] } });
    expect(m.mean[0]).toBeCloseTo(0.2, 12);
    expect(m.std[0]).toBeCloseTo(0, 12);
  });

  it('excludes validation images from the statistics', async () => {
    const w = await DatasetWriter.create(home, { ...meta, classes: ['only'] });
    for (let i = 0; i < 10; i++) await w.append(new Uint8Array(4).fill(i * 20), 0);
    const m = await w.commit({ valFraction: 0.5, seed: 3, report: { skipped: [] } });
    const split = await readFile(join(home, 'datasets', m.id, 'split.bin'));
    const trainValues = [...split].map((f, i) => (f === 0 ? i * 20 : -1)).filter((v) => v >= 0);
    const mean = trainValues.reduce((a, b) => a + b, 0) / trainValues.length / 255;
    expect(trainValues.length).toBe(5);
    expect(m.mean[0]).toBeCloseTo(mean, 12);
  });

  it('abort removes everything', async () => {
    const w = await DatasetWriter.create(home, meta);
    await w.append(new Uint8Array(4), 0);
    expect((await readdir(join(home, 'datasets'))).length).toBe(1);
    await w.abort();
    expect(await readdir(join(home, 'datasets'))).toEqual([]);
    await expect(w.append(new Uint8Array(4), 0)).rejects.toThrow(/already aborted/);
  });

  it('refuses to commit an empty dataset and leaves nothing', async () => {
    const w = await DatasetWriter.create(home, meta);
    await expect(w.commit({ valFraction: 0.1, seed: 1, report: { skipped: [] } })).rejects.toThrow(/Nothing to save.*no images/);
    expect(await readdir(join(home, 'datasets'))).toEqual([]);
  });

  it('refuses wrong image sizes and labels without losing earlier images', async () => {
    const w = await DatasetWriter.create(home, meta);
    await w.append(new Uint8Array(4), 1);
    await expect(w.append(new Uint8Array(5), 0)).rejects.toThrow(/5 bytes, expected 1×2×2 = 4 bytes/);
    await expect(w.append(new Uint8Array(4), 2)).rejects.toThrow(/label 2 is not a class index 0..1/);
    await expect(w.append(new Uint8Array(4), 0.5)).rejects.toThrow(/label 0.5/);
    await w.append(new Uint8Array(4), 0);
    const m = await w.commit({ valFraction: 0, seed: 1, report: { skipped: [] } });
    expect(m.count).toBe(2);
    expect(m.classCounts).toEqual([1, 1]);
  });

  it('refuses bad metadata and bad split options clearly', async () => {
    await expect(DatasetWriter.create(home, { ...meta, name: '  ' })).rejects.toThrow(/name is not valid/);
    await expect(DatasetWriter.create(home, { ...meta, classes: ['a', 'a'] })).rejects.toThrow(/"a" appears twice/);
    await expect(DatasetWriter.create(home, { ...meta, classes: [] })).rejects.toThrow(/1 to 256 classes/);
    await expect(DatasetWriter.create(home, { ...meta, width: 0 })).rejects.toThrow(/width must be a whole number/);
    await expect(DatasetWriter.create(home, { ...meta, channels: 2 as 1 })).rejects.toThrow(/1 \(grayscale\) or 3/);
    const w = await DatasetWriter.create(home, meta);
    await w.append(new Uint8Array(4), 0);
    await expect(w.commit({ valFraction: 1, seed: 1, report: { skipped: [] } })).rejects.toThrow(/valFraction must be/);
    expect(await readdir(join(home, 'datasets'))).toEqual([]);
  });

  it('streams more images than fit in one write buffer', async () => {
    const big = { ...meta, channels: 3 as const, height: 64, width: 64, classes: ['x', 'y', 'z'] };
    const w = await DatasetWriter.create(home, big);
    const n = 400; // 400 × 12 KiB ≈ 4.7 MiB, more than the 4 MiB buffer
    for (let i = 0; i < n; i++) await w.append(new Uint8Array(3 * 64 * 64).fill(i % 256), i % 3);
    const m = await w.commit({ valFraction: 0.1, seed: 5, report: { skipped: [] } });
    const images = await readFile(join(home, 'datasets', m.id, 'images.bin'));
    expect(images.length).toBe(n * 3 * 64 * 64);
    for (const i of [0, 1, 341, 399]) expect(images[i * 3 * 64 * 64 + 100]).toBe(i % 256);
  });
});
