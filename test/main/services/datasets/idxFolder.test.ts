// A folder of MNIST IDX files (as torchvision's download leaves MNIST/raw) imports as IDX through
// the folder import, both from the service and from `convlab datasets import FOLDER`.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findIdxPairs } from '../../../../src/main/services/datasets/idxFolder';
import { importImageFolder } from '../../../../src/main/services/datasets/imageFolder';
import { loadDataset } from '../../../../src/main/services/datasets/loadDataset';
import { classifyImportPaths } from '../../../../src/main/services/importSources';
import { encodeIdx } from '../../../../src/shared/formats/idx';
import { convlab, lastJson } from '../../../cli/cliHarness';

let home: string;
let raw: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-home-'));
  raw = await mkdtemp(join(tmpdir(), 'convlab-mnist-raw-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(raw, { recursive: true, force: true });
});

/** n 4×3 images whose pixels are `base + index`, labels index % 10. */
function pair(n: number, base: number): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(n * 12);
  for (let i = 0; i < n; i++) images.fill((base + i) & 255, i * 12, (i + 1) * 12);
  return { images: encodeIdx([n, 4, 3], images), labels: encodeIdx([n], Uint8Array.from({ length: n }, (_, i) => i % 10)) };
}

/** MNIST's layout: gzipped train files, plain t10k files. */
async function writeMnistRaw(): Promise<void> {
  const train = pair(60, 0);
  const test = pair(20, 100);
  await writeFile(join(raw, 'train-images-idx3-ubyte.gz'), gzipSync(train.images));
  await writeFile(join(raw, 'train-labels-idx1-ubyte.gz'), gzipSync(train.labels));
  await writeFile(join(raw, 't10k-images-idx3-ubyte'), test.images);
  await writeFile(join(raw, 't10k-labels-idx1-ubyte'), test.labels);
}

describe('a folder of IDX files', () => {
  it('pairs images with labels, train first', async () => {
    await writeMnistRaw();
    expect(await findIdxPairs(raw)).toEqual([
      { images: join(raw, 'train-images-idx3-ubyte.gz'), labels: join(raw, 'train-labels-idx1-ubyte.gz') },
      { images: join(raw, 't10k-images-idx3-ubyte'), labels: join(raw, 't10k-labels-idx1-ubyte') },
    ]);
  });

  it('imports through the folder import as one IDX dataset of every pair, pixels in order', async () => {
    await writeMnistRaw();
    const progress: number[] = [];
    const r = await importImageFolder(home, { path: raw, name: 'mnist', size: 32, onProgress: (p) => progress.push(p.done) });
    expect(r.imported).toBe(80);
    expect(r.skipped).toEqual([]);
    expect(r.manifest).toMatchObject({ name: 'mnist', count: 80, channels: 1, height: 4, width: 3, source: { kind: 'idx' } });
    expect(progress.at(-1)).toBe(80);
    const d = await loadDataset(home, r.manifest.id);
    expect([d.images[0], d.images[59 * 12], d.images[60 * 12], d.images[79 * 12]]).toEqual([0, 59, 100, 119]);
    expect(Array.from(d.labels.subarray(58, 62))).toEqual([8, 9, 0, 1]);
  });

  it('refuses an images file without its labels file, and leaves class folders to the image import', async () => {
    await writeFile(join(raw, 'train-images-idx3-ubyte'), pair(3, 0).images);
    await expect(importImageFolder(home, { path: raw })).rejects.toThrow(/train-images-idx3-ubyte has no labels file beside it \(looked for train-labels-idx1-ubyte\)/);
    expect(await readdir(join(home, 'datasets')).catch(() => [])).toEqual([]);
    await mkdir(join(raw, 'cat'));
    expect(await findIdxPairs(raw)).toBeNull();
    expect(await classifyImportPaths([raw])).toEqual({ kind: 'folder', path: raw });
  });

  it('convlab datasets import FOLDER imports it as IDX, and refuses image-only options', async () => {
    await writeMnistRaw();
    const env = { CONVLAB_HOME: home };
    const refused = await convlab(['datasets', 'import', raw, '--size', '28'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--size, --channels and --fit apply to image folders only/);
    const r = await convlab(['datasets', 'import', raw, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const summary = lastJson(r.stdout);
    expect(summary).toMatchObject({ imported: 80, skipped: [] });
    expect((summary.train as number) + (summary.val as number)).toBe(80);
  }, 60_000);
});
