import { describe, expect, it } from 'vitest';
import { encode as encodePng } from 'fast-png';
import type { ImageData as PngImage } from 'fast-png';
import jpeg from 'jpeg-js';
import { decodeImageBytes, luma } from '../../../../src/main/services/datasets/decodeImage';
import type { DecodeTarget } from '../../../../src/main/services/datasets/decodeImage';

const png = (img: PngImage, interlace?: 'Adam7') => encodePng(img, interlace ? { interlace } : undefined);

async function pixels(bytes: Uint8Array, target: Partial<DecodeTarget> & { channels: 1 | 3; height: number; width: number }): Promise<number[]> {
  const out = await decodeImageBytes(bytes, { fit: 'resize', ...target });
  if (!out.ok) throw new Error(`expected pixels, got: ${out.reason}`);
  return Array.from(out.data);
}

async function refusal(bytes: Uint8Array, target: DecodeTarget = { channels: 1, height: 2, width: 2, fit: 'resize' }): Promise<string> {
  const out = await decodeImageBytes(bytes, target);
  if (out.ok) throw new Error('expected a refusal');
  return out.reason;
}

describe('decodeImageBytes: PNG modes to 8-bit gray / RGB planes', () => {
  it('8-bit gray passes through, and is replicated to RGB', async () => {
    const img = png({ width: 2, height: 1, channels: 1, depth: 8, data: Uint8Array.of(10, 250) });
    expect(await pixels(img, { channels: 1, height: 1, width: 2 })).toEqual([10, 250]);
    expect(await pixels(img, { channels: 3, height: 1, width: 2 })).toEqual([10, 250, 10, 250, 10, 250]);
  });

  it('1-bit gray unpacks and scales to 0/255', async () => {
    // 3 pixels in one byte: 1 0 1 (then padding bits)
    const img = png({ width: 3, height: 1, channels: 1, depth: 1, data: Uint8Array.of(0b10100000) });
    expect(await pixels(img, { channels: 1, height: 1, width: 3 })).toEqual([255, 0, 255]);
  });

  it('16-bit gray rounds to 8 bits', async () => {
    const img = png({ width: 3, height: 1, channels: 1, depth: 16, data: Uint16Array.of(0, 257 * 100, 65535) });
    expect(await pixels(img, { channels: 1, height: 1, width: 3 })).toEqual([0, 100, 255]);
  });

  it('RGB to gray uses BT.601 luma; RGB stays planar', async () => {
    const img = png({ width: 2, height: 1, channels: 3, depth: 8, data: Uint8Array.of(255, 0, 0, 10, 20, 30) });
    expect(await pixels(img, { channels: 1, height: 1, width: 2 })).toEqual([luma(255, 0, 0), luma(10, 20, 30)]);
    expect(luma(255, 0, 0)).toBe(76); // 0.299 * 255 = 76.245
    expect(luma(10, 20, 30)).toBe(18); // 2.99 + 11.74 + 3.42 = 18.15
    expect(await pixels(img, { channels: 3, height: 1, width: 2 })).toEqual([255, 10, 0, 20, 0, 30]);
  });

  it('alpha is composited over black (RGBA and gray+alpha, 8 and 16 bit)', async () => {
    const rgba = png({ width: 2, height: 1, channels: 4, depth: 8, data: Uint8Array.of(200, 100, 50, 255, 200, 100, 50, 51) });
    // 51/255 = 0.2: 40, 20, 10
    expect(await pixels(rgba, { channels: 3, height: 1, width: 2 })).toEqual([200, 40, 100, 20, 50, 10]);
    const ga = png({ width: 2, height: 1, channels: 2, depth: 8, data: Uint8Array.of(200, 0, 200, 128) });
    expect(await pixels(ga, { channels: 1, height: 1, width: 2 })).toEqual([0, 100]); // 200 * 128/255 = 100.4
    const rgba16 = png({ width: 1, height: 1, channels: 4, depth: 16, data: Uint16Array.of(65535, 0, 65535, 32768) });
    expect(await pixels(rgba16, { channels: 3, height: 1, width: 1 })).toEqual([128, 0, 128]);
  });

  it('palette images look colours up, with palette alpha from tRNS', async () => {
    const img = png({
      width: 3,
      height: 1,
      channels: 1,
      depth: 8,
      data: Uint8Array.of(1, 0, 2),
      // fast-png's encoder writes tRNS only for entries with alpha < 255, so those must come first.
      palette: [[0, 255, 0, 0], [255, 0, 0, 255], [0, 0, 200, 255]],
    });
    expect(await pixels(img, { channels: 3, height: 1, width: 3 })).toEqual([255, 0, 0, 0, 0, 0, 0, 0, 200]);
  });

  it('4-bit palette indices unpack', async () => {
    const img = png({ width: 2, height: 1, channels: 1, depth: 4, data: Uint8Array.of(0x10), palette: [[0, 0, 0], [90, 90, 90]] });
    expect(await pixels(img, { channels: 1, height: 1, width: 2 })).toEqual([90, 0]);
  });

  it('Adam7-interlaced 8-bit images decode to the same pixels as plain ones', async () => {
    const data = Uint8Array.from({ length: 9 * 7 * 3 }, (_, i) => (i * 29) % 256);
    const plain = png({ width: 9, height: 7, channels: 3, depth: 8, data });
    const inter = png({ width: 9, height: 7, channels: 3, depth: 8, data }, 'Adam7');
    expect(inter[28]).toBe(1);
    expect(await pixels(inter, { channels: 3, height: 7, width: 9 })).toEqual(await pixels(plain, { channels: 3, height: 7, width: 9 }));
  });
});

describe('decodeImageBytes: JPEG', () => {
  it('decodes colour JPEGs close to the source and refuses truncated ones', async () => {
    const w = 16;
    const h = 8;
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([200, 40, 40, 255], i * 4);
    const j = new Uint8Array(jpeg.encode({ width: w, height: h, data: rgba }, 95).data);
    const out = await pixels(j, { channels: 3, height: h, width: w });
    expect(Math.abs(out[0] - 200)).toBeLessThan(6);
    expect(Math.abs(out[w * h] - 40)).toBeLessThan(6);
    expect(await refusal(j.subarray(0, Math.floor(j.length / 2)))).toMatch(/^truncated or corrupt JPEG: /);
  });
});

describe('decodeImageBytes: refusals', () => {
  it('refuses a PNG that declares 100000x100000 from its header, without decoding', async () => {
    const b = new Uint8Array(45);
    b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(b.buffer).setUint32(16, 100000);
    new DataView(b.buffer).setUint32(20, 100000);
    b[24] = 8;
    b[25] = 6;
    const t = performance.now();
    expect(await refusal(b)).toBe('image declares 100000x100000 pixels (limit 8192x8192)');
    expect(performance.now() - t).toBeLessThan(50);
  });

  it('refuses truncated PNGs, text, empty input and interlaced sub-byte PNGs', async () => {
    const img = png({ width: 8, height: 8, channels: 3, depth: 8, data: Uint8Array.from({ length: 192 }, (_, i) => i) });
    expect(await refusal(img.subarray(0, img.length - 12))).toBe('truncated or corrupt PNG: file ends before the IEND chunk');
    expect(await refusal(img.subarray(0, 50))).toMatch(/^truncated or corrupt PNG: file ends inside the IDAT chunk/);
    const corrupt = img.slice();
    corrupt[45] ^= 0xff; // inside IDAT: the CRC no longer matches
    expect(await refusal(corrupt)).toMatch(/^truncated or corrupt PNG: /);
    expect(await refusal(new TextEncoder().encode('just text'))).toBe('not a PNG, JPEG, BMP or WebP image');
    expect(await refusal(new Uint8Array(0))).toBe('empty file');
    const interlaced1bit = Uint8Array.from(png({ width: 8, height: 1, channels: 1, depth: 1, data: Uint8Array.of(0xaa) }));
    interlaced1bit[28] = 1; // flip the IHDR interlace flag: refused before the decoder sees it
    expect(await refusal(interlaced1bit)).toMatch(/^unsupported PNG: interlaced with 1-bit samples/);
  });
});
