import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetWriter } from '../../../../src/main/services/datasets/datasetWriter';
import {
  datasetSamples,
  deleteDataset,
  getDataset,
  listDatasets,
  removeStaleTempFolders,
  renameDataset,
  scanDatasets,
} from '../../../../src/main/services/datasets/datasetStore';
import { loadDataset } from '../../../../src/main/services/datasets/loadDataset';
import type { DatasetManifest } from '../../../../src/shared/datasetFormat';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-store-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** A 3-class dataset of 2×2 grayscale images whose pixels equal their index. */
async function makeDataset(name: string, n = 30): Promise<DatasetManifest> {
  const w = await DatasetWriter.create(home, { name, source: { kind: 'folder', path: '/x' }, channels: 1, height: 2, width: 2, classes: ['a', 'b', 'c'] });
  for (let i = 0; i < n; i++) await w.append(new Uint8Array(4).fill(i), i % 3);
  return w.commit({ valFraction: 0.2, seed: 9, report: { skipped: [] } });
}

const UNKNOWN = /Unknown dataset ".*": run `convlab datasets list` to see stored datasets, or use builtin:fashion-mnist-mini/;

describe('dataset store', () => {
  it('lists newest first, gets, renames and deletes', async () => {
    expect(await listDatasets(home)).toEqual([]);
    const a = await makeDataset('first');
    await new Promise((r) => setTimeout(r, 5));
    const b = await makeDataset('second');
    expect((await listDatasets(home)).map((m) => m.id)).toEqual([b.id, a.id]);
    expect(await getDataset(home, a.id)).toEqual(a);

    const renamed = await renameDataset(home, a.id, '  Better name ');
    expect(renamed.name).toBe('Better name');
    expect((await getDataset(home, a.id)).name).toBe('Better name');
    await expect(renameDataset(home, a.id, '')).rejects.toThrow(/cannot be empty/);
    await expect(renameDataset(home, a.id, 'two\nlines')).rejects.toThrow(/single line/);

    await deleteDataset(home, a.id);
    expect((await listDatasets(home)).map((m) => m.id)).toEqual([b.id]);
    expect(await readdir(join(home, 'datasets'))).toEqual([b.id]);
    await expect(getDataset(home, a.id)).rejects.toThrow(UNKNOWN);
    await expect(deleteDataset(home, a.id)).rejects.toThrow(UNKNOWN);
  });

  it('reports a damaged manifest without deleting it, and ignores temp folders', async () => {
    const good = await makeDataset('good');
    const badId = 'ds-20200101-000000-beef';
    await mkdir(join(home, 'datasets', badId));
    await writeFile(join(home, 'datasets', badId, 'manifest.json'), '{"formatVersion": 1');
    await mkdir(join(home, 'datasets', '.tmp-abc'));
    const scan = await scanDatasets(home);
    expect(scan.datasets.map((m) => m.id)).toEqual([good.id]);
    expect(scan.problems).toHaveLength(1);
    expect(scan.problems[0].id).toBe(badId);
    expect(scan.problems[0].reason).toMatch(/not valid JSON/);
    expect(await readFile(join(home, 'datasets', badId, 'manifest.json'), 'utf8')).toBe('{"formatVersion": 1');
  });

  it('refuses ids that try to leave the datasets folder', async () => {
    await makeDataset('x');
    await writeFile(join(home, 'secret.json'), '{}');
    for (const id of ['../secret', '..', '.', '', 'ds-20200101-000000-beef/../../secret', '/etc', 'DS-20200101-000000-BEEF', '.tmp-abc', 'runs']) {
      await expect(getDataset(home, id)).rejects.toThrow(UNKNOWN);
      await expect(loadDataset(home, id)).rejects.toThrow(UNKNOWN);
      await expect(deleteDataset(home, id)).rejects.toThrow(UNKNOWN);
      await expect(renameDataset(home, id, 'n')).rejects.toThrow(UNKNOWN);
      await expect(datasetSamples(home, id, 1)).rejects.toThrow(UNKNOWN);
    }
    expect(await readFile(join(home, 'secret.json'), 'utf8')).toBe('{}');
    await expect(loadDataset(home, 'builtin:imagenet')).rejects.toThrow(UNKNOWN);
  });

  it('samples the first images of each class', async () => {
    const m = await makeDataset('s', 30);
    const s = await datasetSamples(home, m.id, 2);
    expect(s.classes).toEqual(['a', 'b', 'c']);
    expect(s.samples.map((x) => [x.label, x.index])).toEqual([[0, 0], [0, 3], [1, 1], [1, 4], [2, 2], [2, 5]]);
    expect([...s.samples[3].image]).toEqual([4, 4, 4, 4]);
    await expect(datasetSamples(home, m.id, 0)).rejects.toThrow(/perClass must be/);
  });

  it('loads a stored dataset with its split and statistics', async () => {
    const m = await makeDataset('load', 30);
    const d = await loadDataset(home, m.id);
    expect(d).toMatchObject({ id: m.id, name: 'load', classes: ['a', 'b', 'c'], channels: 1, height: 2, width: 2, mean: m.mean, std: m.std });
    expect(d.images.length).toBe(120);
    expect(d.trainIndices.length).toBe(24);
    expect(d.valIndices.length).toBe(6);
    const all = [...d.trainIndices, ...d.valIndices].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const valPerClass = [0, 0, 0];
    for (const i of d.valIndices) valPerClass[d.labels[i]]++;
    expect(valPerClass).toEqual([2, 2, 2]);
  });

  it('refuses to load a dataset whose files disagree with the manifest', async () => {
    const m = await makeDataset('dmg', 30);
    const dir = join(home, 'datasets', m.id);
    await writeFile(join(dir, 'images.bin'), new Uint8Array(119));
    await expect(loadDataset(home, m.id)).rejects.toThrow(/is damaged: images.bin should hold 120 bytes but holds 119/);
    await writeFile(join(dir, 'images.bin'), new Uint8Array(120));
    const labels = await readFile(join(dir, 'labels.bin'));
    labels[4] = 7;
    await writeFile(join(dir, 'labels.bin'), labels);
    await expect(loadDataset(home, m.id)).rejects.toThrow(/image 4 has label 7 but there are 3 classes/);
  });

  it('removes only stale temp folders, never datasets or fresh imports', async () => {
    const m = await makeDataset('keep');
    const w = await DatasetWriter.create(home, { name: 'busy', source: { kind: 'idx' }, channels: 1, height: 1, width: 1, classes: ['a'] });
    await w.append(new Uint8Array(1), 0);
    const stale = join(home, 'datasets', '.tmp-crashed');
    await mkdir(stale);
    await writeFile(join(stale, 'images.bin'), new Uint8Array(10));
    const old = new Date(Date.now() - 3 * 24 * 3600_000);
    await utimes(join(stale, 'images.bin'), old, old);
    await utimes(stale, old, old);

    expect(await removeStaleTempFolders(home)).toEqual(['.tmp-crashed']);
    const left = await readdir(join(home, 'datasets'));
    expect(left).toContain(m.id);
    expect(left.filter((n) => n.startsWith('.tmp-'))).toHaveLength(1); // the live writer's folder
    expect((await w.commit({ valFraction: 0, seed: 1, report: { skipped: [] } })).count).toBe(1);
  });
});
