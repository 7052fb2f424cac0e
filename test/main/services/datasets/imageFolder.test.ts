import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import type { ImageData as PngImage } from 'fast-png';
import jpeg from 'jpeg-js';
import { ImageImportError, importImageFolder } from '../../../../src/main/services/datasets/imageFolder';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

function put(root: string, rel: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), bytes);
}

const png = (img: PngImage) => encodePng(img);
const grayPng = (w: number, h: number, value: number) => png({ width: w, height: h, channels: 1, depth: 8, data: new Uint8Array(w * h).fill(value) });

function jpegOf(w: number, h: number, rgb: [number, number, number]): Uint8Array {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([...rgb, 255], i * 4);
  return new Uint8Array(jpeg.encode({ width: w, height: h, data }, 90).data);
}

/** A PNG whose IHDR declares 100000x100000 RGBA pixels, followed by a tiny IEND: never decodable. */
function hugePng(): Uint8Array {
  const b = new Uint8Array(45);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const v = new DataView(b.buffer);
  v.setUint32(16, 100000);
  v.setUint32(20, 100000);
  b[24] = 8;
  b[25] = 6;
  b.set([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44], 33);
  return b;
}

function storedFile(home: string, id: string, name: string): Buffer {
  return readFileSync(join(home, 'datasets', id, name));
}

function datasetEntries(home: string): string[] {
  try {
    return readdirSync(join(home, 'datasets'));
  } catch {
    return [];
  }
}

/** The messy folder: every kind of good image, and every kind of bad entry. */
function messyFolder(): { root: string; outside: string } {
  const root = tempDir('imgfolder-');
  const outside = tempDir('outside-');
  const rgb = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 17) % 256);
  put(outside, 'secret.png', grayPng(3, 3, 9));

  put(root, 'cat/a.png', grayPng(6, 4, 100));
  put(root, 'cat/B.PNG', png({ width: 5, height: 3, channels: 3, depth: 8, data: rgb }));
  put(root, 'cat/c.jpg', jpegOf(16, 16, [200, 50, 50]));
  put(root, 'cat/D.JPEG', jpegOf(8, 24, [20, 200, 20]));
  put(root, 'cat/sub/deep/e.png', png({ width: 2, height: 2, channels: 4, depth: 8, data: new Uint8Array(16).fill(128) }));
  put(root, 'cat/f.png', png({ width: 2, height: 1, channels: 1, depth: 8, data: Uint8Array.of(0, 1), palette: [[1, 2, 3], [250, 0, 9]] }));
  put(root, 'cat/g.png', png({ width: 3, height: 3, channels: 1, depth: 16, data: new Uint16Array(9).fill(40000) }));
  put(root, 'cat/.hidden.png', grayPng(2, 2, 1));
  put(root, 'cat/notes.txt', 'not an image');
  put(root, 'cat/empty.png', new Uint8Array(0));
  const whole = grayPng(8, 8, 77);
  put(root, 'cat/trunc.png', whole.subarray(0, whole.length - 20));
  const j = jpegOf(32, 32, [10, 10, 200]);
  put(root, 'cat/trunc.jpg', j.subarray(0, Math.floor(j.length * 0.6)));
  put(root, 'cat/text.png', 'hello, I am text pretending to be a PNG');
  put(root, 'cat/huge.png', hugePng());
  symlinkSync(join(outside, 'secret.png'), join(root, 'cat/out.png'));
  symlinkSync('.', join(root, 'cat/loop'));
  symlinkSync('ping.png', join(root, 'cat/pong.png'));
  symlinkSync('pong.png', join(root, 'cat/ping.png'));
  symlinkSync('../dog/x.png', join(root, 'cat/inlink.png'));
  execFileSync('mkfifo', [join(root, 'cat/fifo.png')]);

  put(root, 'dog/x.png', grayPng(4, 4, 200));
  put(root, 'Bird/y.jpeg', jpegOf(8, 8, [128, 128, 128]));
  put(root, '.git/HEAD', 'ref: refs/heads/main');
  put(root, 'README.txt', 'stray');
  put(root, 'stray.png', grayPng(2, 2, 5));
  mkdirSync(join(root, 'emptyclass'));
  // Passes the header check, fails only when decoded: dropped after the decode pass.
  const z = grayPng(8, 8, 3);
  put(root, 'zebra/z.png', z.subarray(0, z.length - 12));
  symlinkSync(outside, join(root, 'outlink'));
  return { root, outside };
}

describe('importImageFolder on a messy real folder', () => {
  it('imports every good image, lists every bad entry with its reason, drops empty classes', async () => {
    const { root } = messyFolder();
    const home = tempDir('home-');
    const progress: Array<{ done: number; total: number; skipped: number }> = [];
    const result = await importImageFolder(home, { path: root, name: 'messy', workers: 2, onProgress: (p) => progress.push(p) });

    const m = result.manifest;
    expect(m.classes).toEqual(['Bird', 'cat', 'dog']); // code point order: uppercase first
    expect(m.channels).toBe(3); // some images declare colour
    expect([m.height, m.width]).toEqual([32, 32]);
    expect(result.imported).toBe(10);
    expect(m.count).toBe(10);
    expect(m.classCounts).toEqual([1, 8, 1]);

    const reasons = Object.fromEntries(result.skipped.map((s) => [s.file, s.reason]));
    expect(reasons).toEqual({
      '.git': 'hidden folder',
      'README.txt': 'file at the top level: images must sit in a class subfolder',
      'cat/.hidden.png': 'hidden file',
      'cat/empty.png': 'empty file',
      'cat/fifo.png': 'unreadable: not a regular file',
      'cat/huge.png': 'image declares 100000x100000 pixels (limit 8192x8192)',
      'cat/loop': 'symbolic link loop: it points at a folder that contains it',
      'cat/notes.txt': 'not a PNG, JPEG, BMP or WebP file',
      'cat/out.png': 'symbolic link points outside the folder',
      'cat/ping.png': 'symbolic link loop',
      'cat/pong.png': 'symbolic link loop',
      'cat/text.png': 'not a PNG, JPEG, BMP or WebP image',
      'cat/trunc.jpg': expect.stringMatching(/^truncated or corrupt JPEG: /),
      'cat/trunc.png': expect.stringMatching(/^truncated or corrupt PNG: file ends inside the IDAT chunk/),
      'emptyclass/': 'class folder dropped: it holds no importable image',
      'outlink': 'symbolic link points outside the folder',
      'stray.png': 'file at the top level: images must sit in a class subfolder',
      'zebra/': 'class folder dropped: it holds no importable image',
      'zebra/z.png': 'truncated or corrupt PNG: file ends before the IEND chunk',
    });
    expect(m.report.skipped).toEqual(result.skipped);
    expect(m.source).toEqual({ kind: 'folder', path: root, fit: 'resize' });

    const last = progress.at(-1)!;
    expect(last.done).toBe(last.total);
    expect(last.skipped).toBe(last.total - 10);
    expect(datasetEntries(home)).toEqual([m.id]);
  });

  it('stores the same bytes with 1 worker as with 3', async () => {
    const { root } = messyFolder();
    for (let i = 0; i < 30; i++) put(root, `dog/more/${String(i).padStart(2, '0')}.png`, grayPng(3 + (i % 5), 4, i * 7));
    const homeA = tempDir('homeA-');
    const homeB = tempDir('homeB-');
    const a = await importImageFolder(homeA, { path: root, workers: 1, seed: 5 });
    const b = await importImageFolder(homeB, { path: root, workers: 3, seed: 5 });
    expect(b.imported).toBe(a.imported);
    for (const f of ['images.bin', 'labels.bin', 'split.bin']) {
      expect(storedFile(homeB, b.manifest.id, f).equals(storedFile(homeA, a.manifest.id, f))).toBe(true);
    }
    expect(b.skipped).toEqual(a.skipped);
  });
});

describe('importImageFolder ordering and options', () => {
  it('orders classes by code point and files by relative path, and picks gray when every header is gray', async () => {
    const root = tempDir('order-');
    // value encodes the expected position
    put(root, 'b/z.png', grayPng(2, 2, 4));
    put(root, 'b/sub/a.png', grayPng(2, 2, 3));
    put(root, 'a/2.png', grayPng(2, 2, 2));
    put(root, 'a/10.png', grayPng(2, 2, 1));
    put(root, 'A/x.PNG', grayPng(2, 2, 0));
    const home = tempDir('home-');
    const r = await importImageFolder(home, { path: root, size: 2 });
    expect(r.manifest.classes).toEqual(['A', 'a', 'b']);
    expect(r.manifest.channels).toBe(1);
    const images = storedFile(home, r.manifest.id, 'images.bin');
    expect([...images.subarray(0, 20)].filter((_, i) => i % 4 === 0)).toEqual([0, 1, 2, 3, 4]);
    expect([...storedFile(home, r.manifest.id, 'labels.bin')]).toEqual([0, 1, 1, 2, 2]);
  });

  it('decodes BMP and WebP files in the worker threads like PNG and JPEG; an animated WebP is skipped with its reason', async () => {
    const fixtures = join(__dirname, '..', '..', '..', 'fixtures', 'images');
    const root = tempDir('bmp-webp-');
    put(root, 'a/rgb24.bmp', readFileSync(join(fixtures, 'rgb24.bmp')));
    put(root, 'a/gray8.BMP', readFileSync(join(fixtures, 'gray8.bmp')));
    put(root, 'b/lossless.webp', readFileSync(join(fixtures, 'lossless.webp')));
    put(root, 'b/lossy-alpha.webp', readFileSync(join(fixtures, 'lossy-alpha.webp')));
    put(root, 'b/animated.webp', readFileSync(join(fixtures, 'animated.webp')));
    const home = tempDir('home-');
    const r = await importImageFolder(home, { path: root, size: 4, workers: 2 });
    expect(r.imported).toBe(4);
    expect(r.skipped).toEqual([{ file: 'b/animated.webp', reason: 'unsupported WebP: animated (import single images)' }]);
    // WebP declares no grayscale mode, so the folder is RGB.
    expect([r.manifest.channels, r.manifest.classCounts]).toEqual([3, [2, 2]]);
  });

  it('defaults to 28x28 for gray, honours size [h, w], channels and fit', async () => {
    const root = tempDir('opts-');
    put(root, 'k/a.png', grayPng(10, 10, 50));
    const home = tempDir('home-');
    const gray = await importImageFolder(home, { path: root });
    expect([gray.manifest.channels, gray.manifest.height, gray.manifest.width]).toEqual([1, 28, 28]);
    const rgb = await importImageFolder(home, { path: root, channels: 3, size: [4, 6], fit: 'pad' });
    expect([rgb.manifest.channels, rgb.manifest.height, rgb.manifest.width]).toEqual([3, 4, 6]);
    const px = storedFile(home, rgb.manifest.id, 'images.bin');
    // 10x10 padded into 4x6: a 4x4 square of 50 in columns 1..4 of each of the 3 planes
    expect([...px.subarray(0, 6)]).toEqual([0, 50, 50, 50, 50, 0]);
  });

  it('refuses bad options and missing folders with messages naming the problem', async () => {
    const home = tempDir('home-');
    await expect(importImageFolder(home, { path: join(home, 'nope') })).rejects.toThrow(/the folder does not exist/);
    await expect(importImageFolder(home, { path: home, size: 0 })).rejects.toThrow(/size must be a whole number from 1 to/);
    await expect(importImageFolder(home, { path: home, fit: 'stretch' as never })).rejects.toThrow(/fit must be one of resize, center-crop, pad/);
    await expect(importImageFolder(home, { path: home, workers: 0 })).rejects.toThrow(/workers must be a whole number/);
  });
});

describe('importImageFolder refusals and cancellation', () => {
  it('refuses a folder with nothing importable and leaves nothing behind', async () => {
    const root = tempDir('nothing-');
    put(root, 'a.png', grayPng(2, 2, 1));
    put(root, 'k/readme.md', '# hi');
    put(root, 'k/bad.png', 'text');
    const home = tempDir('home-');
    const err = await importImageFolder(home, { path: root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageImportError);
    expect((err as Error).message).toMatch(new RegExp(`^No importable images in "${root}": 0 of 3 files were PNG/JPEG images a class subfolder holds`));
    expect((err as ImageImportError).skipped.map((s) => s.file)).toEqual(['a.png', 'k/', 'k/bad.png', 'k/readme.md']);
    expect(datasetEntries(home)).toEqual([]);
  });

  it('cancels mid-way: rejects with "import cancelled", no dataset and no temp folder remain', async () => {
    const root = tempDir('cancel-');
    for (let i = 0; i < 400; i++) put(root, `c${i % 4}/${i}.png`, grayPng(40, 40, i % 256));
    const home = tempDir('home-');
    const controller = new AbortController();
    let seen = 0;
    const run = importImageFolder(home, {
      path: root,
      workers: 2,
      signal: controller.signal,
      onProgress: (p) => {
        seen = p.done;
        controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/^import cancelled$/);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(400);
    expect(datasetEntries(home)).toEqual([]);
  });

  it('refuses at once when the signal is already aborted', async () => {
    const root = tempDir('pre-');
    put(root, 'k/a.png', grayPng(2, 2, 1));
    const home = tempDir('home-');
    await expect(importImageFolder(home, { path: root, signal: AbortSignal.abort() })).rejects.toThrow('import cancelled');
    expect(datasetEntries(home)).toEqual([]);
  });
});
