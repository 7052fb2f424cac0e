import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { importCifar10 } from '../../../../src/main/services/datasets/importCifar10';
import { loadDataset } from '../../../../src/main/services/datasets/loadDataset';

let home: string;
let src: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-home-'));
  src = await mkdtemp(join(tmpdir(), 'convlab-cifar-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(src, { recursive: true, force: true });
});

/** A synthetic batch of n records; record i has label i % 10 and R, G, B planes filled with i, 2i, 3i. */
function batch(n: number, offset = 0): Uint8Array {
  const out = new Uint8Array(n * 3073);
  for (let k = 0; k < n; k++) {
    const i = k + offset;
    const at = k * 3073;
    out[at] = i % 10;
    out.fill(i & 255, at + 1, at + 1025);
    out.fill((2 * i) & 255, at + 1025, at + 2049);
    out.fill((3 * i) & 255, at + 2049, at + 3073);
  }
  return out;
}

describe('importCifar10', () => {
  it('imports several batches (one gzipped) as one RGB dataset with the CIFAR-10 classes', async () => {
    await writeFile(join(src, 'data_batch_1.bin'), batch(30));
    await writeFile(join(src, 'data_batch_2.bin.gz'), gzipSync(batch(20, 30)));
    const progress: number[] = [];
    const r = await importCifar10(home, {
      files: [join(src, 'data_batch_1.bin'), join(src, 'data_batch_2.bin.gz')],
      valFraction: 0.2,
      seed: 1,
      onProgress: (p) => progress.push(p.total),
    });
    expect(r.imported).toBe(50);
    const m = r.manifest;
    expect(m.name).toBe('CIFAR-10');
    expect(m.source).toEqual({ kind: 'cifar10', path: src });
    expect(m.classes[0]).toBe('airplane');
    expect(m.classes[9]).toBe('truck');
    expect([m.channels, m.height, m.width]).toEqual([3, 32, 32]);
    expect(m.classCounts).toEqual(new Array(10).fill(5));
    expect(m.split.val).toBe(10);
    expect(progress.every((t) => t === 50)).toBe(true);

    const loaded = await loadDataset(home, m.id);
    // Record 37 (second file): planes 37, 74, 111 in CHW order.
    const img = loaded.images.subarray(37 * 3072, 38 * 3072);
    expect([img[0], img[1024], img[2048]]).toEqual([37, 74, 111]);
    expect(loaded.labels[37]).toBe(7);
  });

  it('refuses a file of the wrong length by name and leaves nothing', async () => {
    await writeFile(join(src, 'data_batch_1.bin'), batch(3));
    await writeFile(join(src, 'batches.meta.txt'), 'airplane\nautomobile\n');
    await expect(
      importCifar10(home, { files: [join(src, 'data_batch_1.bin'), join(src, 'batches.meta.txt')] }),
    ).rejects.toThrow(/batches\.meta\.txt: Not a CIFAR-10 binary batch: 20 bytes is not a multiple of the 3073-byte record/);
    expect(await readdir(join(home, 'datasets')).catch(() => [])).toEqual([]);
  });

  it('refuses labels above 9 (e.g. a CIFAR-100 file) by name', async () => {
    const b = batch(2);
    b[3073] = 42;
    await writeFile(join(src, 'odd.bin'), b);
    await expect(importCifar10(home, { files: [join(src, 'odd.bin')] })).rejects.toThrow(/odd\.bin: .*record 1 .* label 42/);
  });

  it('refuses empty lists, empty files and duplicates', async () => {
    await expect(importCifar10(home, { files: [] })).rejects.toThrow(/No CIFAR-10 files given/);
    await writeFile(join(src, 'empty.bin'), new Uint8Array(0));
    await expect(importCifar10(home, { files: [join(src, 'empty.bin')] })).rejects.toThrow(/empty\.bin: CIFAR-10 batch is empty/);
    await writeFile(join(src, 'a.bin'), batch(1));
    await expect(importCifar10(home, { files: [join(src, 'a.bin'), join(src, 'a.bin')] })).rejects.toThrow(/listed twice/);
  });
});
