import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { importIdx } from '../../../../src/main/services/datasets/importIdx';
import { loadDataset } from '../../../../src/main/services/datasets/loadDataset';
import { encodeIdx } from '../../../../src/shared/formats/idx';

let home: string;
let src: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-home-'));
  src = await mkdtemp(join(tmpdir(), 'convlab-idx-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(src, { recursive: true, force: true });
});

/** n images of 4 × 3 whose pixels encode their index, labels i % classes. */
function synthetic(n: number, classes = 10): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(n * 12);
  for (let i = 0; i < n; i++) images.fill(i & 255, i * 12, (i + 1) * 12);
  return { images: encodeIdx([n, 4, 3], images), labels: encodeIdx([n], Uint8Array.from({ length: n }, (_, i) => i % classes)) };
}

async function datasetsLeft(): Promise<string[]> {
  return readdir(join(home, 'datasets')).catch(() => []);
}

describe('importIdx', () => {
  it('imports a gzipped pair with default class names and loads back identical pixels', async () => {
    const { images, labels } = synthetic(200);
    await writeFile(join(src, 'imgs-idx3-ubyte.gz'), gzipSync(images));
    await writeFile(join(src, 'lbls-idx1-ubyte'), labels);
    const progress: number[] = [];
    const result = await importIdx(home, {
      images: join(src, 'imgs-idx3-ubyte.gz'),
      labels: join(src, 'lbls-idx1-ubyte'),
      valFraction: 0.1,
      seed: 3,
      onProgress: (p) => progress.push(p.done),
    });
    expect(result.imported).toBe(200);
    expect(result.skipped).toEqual([]);
    const m = result.manifest;
    expect(m.name).toBe('imgs-idx3-ubyte');
    expect(m.source).toEqual({ kind: 'idx', path: join(src, 'imgs-idx3-ubyte.gz') });
    expect(m.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([m.channels, m.height, m.width]).toEqual([1, 4, 3]);
    expect(m.classCounts).toEqual(new Array(10).fill(20));
    expect(m.split).toMatchObject({ train: 180, val: 20 });
    expect(progress.at(-1)).toBe(200);

    const loaded = await loadDataset(home, m.id);
    expect(loaded.images[57 * 12 + 5]).toBe(57);
    expect(loaded.labels[57]).toBe(7);
    expect(loaded.trainIndices.length + loaded.valIndices.length).toBe(200);
  });

  it('uses given class names and name', async () => {
    const { images, labels } = synthetic(6, 3);
    await writeFile(join(src, 'i'), images);
    await writeFile(join(src, 'l'), labels);
    const { manifest } = await importIdx(home, { images: join(src, 'i'), labels: join(src, 'l'), classes: ['a', 'b', 'c'], name: 'Mine' });
    expect(manifest.classes).toEqual(['a', 'b', 'c']);
    expect(manifest.name).toBe('Mine');
  });

  it('refuses an image/label count mismatch naming both files, leaving nothing', async () => {
    await writeFile(join(src, 'i'), synthetic(10).images);
    await writeFile(join(src, 'l'), synthetic(9).labels);
    await expect(importIdx(home, { images: join(src, 'i'), labels: join(src, 'l') })).rejects.toThrow(
      /i holds 10 images but .*l holds 9 labels; pass the matching pair/,
    );
    expect(await datasetsLeft()).toEqual([]);
  });

  it('refuses swapped files, wrong magic and truncation, naming the file', async () => {
    const { images, labels } = synthetic(5);
    await writeFile(join(src, 'i'), images);
    await writeFile(join(src, 'l'), labels);
    await expect(importIdx(home, { images: join(src, 'l'), labels: join(src, 'i') })).rejects.toThrow(/shape 5; an images file must be N × H × W.*swap/);
    await writeFile(join(src, 'bad'), Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    await expect(importIdx(home, { images: join(src, 'bad'), labels: join(src, 'l') })).rejects.toThrow(/bad: Not an IDX file: magic number 0x01020304/);
    await writeFile(join(src, 'cut'), images.subarray(0, images.length - 3));
    await expect(importIdx(home, { images: join(src, 'cut'), labels: join(src, 'l') })).rejects.toThrow(/cut: IDX file is truncated: .* need 76 bytes .* has 73/);
    expect(await datasetsLeft()).toEqual([]);
  });

  it('refuses labels without a class name', async () => {
    await writeFile(join(src, 'i'), synthetic(5).images);
    await writeFile(join(src, 'l'), encodeIdx([5], Uint8Array.from([0, 1, 2, 1, 0])));
    await expect(importIdx(home, { images: join(src, 'i'), labels: join(src, 'l'), classes: ['x', 'y'] })).rejects.toThrow(
      /label 2 at index 2 has no class name \(2 classes given\)/,
    );
  });

  it('accepts N × C × H × W RGB images', async () => {
    const n = 4;
    await writeFile(join(src, 'i'), encodeIdx([n, 3, 2, 2], new Uint8Array(n * 12).fill(9)));
    await writeFile(join(src, 'l'), encodeIdx([n], Uint8Array.from([0, 1, 0, 1])));
    const { manifest } = await importIdx(home, { images: join(src, 'i'), labels: join(src, 'l'), valFraction: 0 });
    expect(manifest.channels).toBe(3);
    expect(manifest.mean).toEqual([9 / 255, 9 / 255, 9 / 255]);
  });

  it('stops on cancellation and leaves nothing behind', async () => {
    const { images, labels } = synthetic(3000);
    await writeFile(join(src, 'i'), images);
    await writeFile(join(src, 'l'), labels);
    const controller = new AbortController();
    const p = importIdx(home, {
      images: join(src, 'i'),
      labels: join(src, 'l'),
      signal: controller.signal,
      onProgress: (pr) => pr.done >= 1000 && controller.abort(),
    });
    await expect(p).rejects.toThrow(/Import cancelled; nothing was saved/);
    expect(await datasetsLeft()).toEqual([]);
  });

  it('refuses bad split options before reading anything', async () => {
    await expect(importIdx(home, { images: join(src, 'missing'), labels: join(src, 'missing'), valFraction: 2 })).rejects.toThrow(/valFraction/);
    await expect(importIdx(home, { images: join(src, 'missing'), labels: join(src, 'missing') })).rejects.toThrow(/missing: no such file/);
  });
});
