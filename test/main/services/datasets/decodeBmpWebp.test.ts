// BMP and WebP in folder imports: headers read (and oversized ones refused) before any decoding,
// and pixels checked against what Pillow decodes from the same files
// (scripts/fixtures/make_image_fixtures.py wrote them with Pillow, an independent encoder).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImageBytes } from '../../../../src/main/services/datasets/decodeImage';
import { checkDimensions, readImageHeader, type ImageHeader } from '../../../../src/main/services/datasets/imageHeader';

const dir = join(__dirname, '..', '..', '..', 'fixtures', 'images');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, { width: number; height: number; mode: 'RGB' | 'RGBA'; pixels: number[] }>;
const file = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));

function header(bytes: Uint8Array, complete = true): ImageHeader {
  const r = readImageHeader(bytes, complete);
  if (r.status !== 'ok') throw new Error(`expected a header, got ${JSON.stringify(r)}`);
  return r.header;
}

function refusal(bytes: Uint8Array, complete = true): string {
  const r = readImageHeader(bytes, complete);
  if (r.status === 'ok') return checkDimensions(r.header) ?? 'accepted';
  return r.status === 'bad' ? r.reason : 'incomplete';
}

/** Pillow's pixels as planar RGB, alpha composited over black (the importer's rule). */
function wantPlanar(name: string): number[] {
  const e = expected[name]!;
  const n = e.width * e.height;
  const stride = e.mode === 'RGBA' ? 4 : 3;
  const out = new Array<number>(3 * n);
  for (let i = 0; i < n; i++) {
    const a = stride === 4 ? e.pixels[4 * i + 3]! : 255;
    for (let c = 0; c < 3; c++) out[c * n + i] = Math.floor((e.pixels[stride * i + c]! * a) / 255 + 0.5);
  }
  return out;
}

async function decodeSameSize(bytes: Uint8Array, channels: 1 | 3 = 3): Promise<number[]> {
  const h = header(bytes);
  const out = await decodeImageBytes(bytes, { channels, height: h.height, width: h.width, fit: 'resize' });
  if (!out.ok) throw new Error(out.reason);
  return Array.from(out.data);
}

describe('BMP', () => {
  it('reads the declared size, depth and colour from the header', () => {
    expect(header(file('rgb24.bmp'))).toEqual({ format: 'bmp', width: 5, height: 3, color: true, alpha: false, bitDepth: 24, interlaced: false });
    expect(header(file('gray8.bmp'))).toMatchObject({ width: 5, height: 3, color: false, bitDepth: 8 });
    expect(header(file('palette8.bmp'))).toMatchObject({ color: true, bitDepth: 8 });
    expect(header(file('bw1.bmp'))).toMatchObject({ width: 7, height: 3, color: false, bitDepth: 1 });
    // A 64-byte prefix of an 8-bit file stops inside its palette: read more, do not guess.
    expect(readImageHeader(file('gray8.bmp').subarray(0, 64), false)).toEqual({ status: 'incomplete' });
  });

  it.each(['bw1.bmp', 'gray8.bmp', 'palette8.bmp', 'rgb24.bmp', 'rgba32.bmp'])('decodes %s exactly as Pillow does', async (name) => {
    expect(await decodeSameSize(file(name))).toEqual(wantPlanar(name));
  });

  it('decodes top-down rows (negative height) to the same image', async () => {
    const bottomUp = file('rgb24.bmp');
    const topDown = bottomUp.slice();
    const view = new DataView(topDown.buffer);
    const [w, h, offset] = [view.getInt32(18, true), view.getInt32(22, true), view.getUint32(10, true)];
    view.setInt32(22, -h, true);
    const rowBytes = Math.floor((24 * w + 31) / 32) * 4;
    for (let y = 0; y < h; y++) topDown.set(bottomUp.subarray(offset + y * rowBytes, offset + (y + 1) * rowBytes), offset + (h - 1 - y) * rowBytes);
    expect(await decodeSameSize(topDown)).toEqual(wantPlanar('rgb24.bmp'));
  });

  it('gray palettes import as one channel unchanged', async () => {
    const rgb = wantPlanar('gray8.bmp');
    expect(await decodeSameSize(file('gray8.bmp'), 1)).toEqual(rgb.slice(0, rgb.length / 3));
  });

  it('refuses oversized, RLE, truncated and malformed files by their header', async () => {
    const huge = file('rgb24.bmp').slice(0, 54);
    new DataView(huge.buffer).setInt32(18, 100000, true);
    expect(refusal(huge)).toBe('image declares 100000x3 pixels (limit 8192x8192)');
    const rle = file('gray8.bmp').slice();
    rle[30] = 1;
    expect(refusal(rle)).toBe('unsupported BMP: RLE compression (re-save it uncompressed)');
    const os2 = file('rgb24.bmp').slice();
    os2[14] = 12;
    expect(refusal(os2)).toMatch(/^unsupported BMP: OS\/2 12-byte header/);
    const manyColours = file('gray8.bmp').slice();
    new DataView(manyColours.buffer).setUint32(46, 100000, true);
    expect(refusal(manyColours)).toBe('corrupt BMP: 100000 palette colours for 8-bit pixels (at most 256)');
    const rgb = file('rgb24.bmp');
    const cut = await decodeImageBytes(rgb.subarray(0, rgb.length - 20), { channels: 3, height: 3, width: 5, fit: 'resize' });
    expect(cut).toEqual({ ok: false, reason: `truncated BMP: ${rgb.length - 20} bytes, the pixel rows need ${rgb.length - 1}` });
  });
});

describe('WebP', () => {
  it('reads the declared canvas size and alpha of lossless, lossy and extended files', () => {
    expect(header(file('lossless.webp'))).toEqual({ format: 'webp', width: 6, height: 4, color: true, alpha: false, bitDepth: 8, interlaced: false });
    expect(header(file('lossless-alpha.webp'))).toMatchObject({ width: 6, height: 4, alpha: true });
    expect(header(file('lossy.webp'))).toMatchObject({ width: 16, height: 12, alpha: false });
    expect(header(file('lossy-alpha.webp'))).toMatchObject({ width: 16, height: 12, alpha: true });
  });

  it.each(['lossless.webp', 'lossless-alpha.webp'])('decodes %s exactly as Pillow does (libwebp both)', async (name) => {
    expect(await decodeSameSize(file(name))).toEqual(wantPlanar(name));
  });

  it.each(['lossy.webp', 'lossy-alpha.webp'])('decodes %s within one level of Pillow', async (name) => {
    const got = await decodeSameSize(file(name));
    const want = wantPlanar(name);
    expect(got).toHaveLength(want.length);
    expect(Math.max(...got.map((v, i) => Math.abs(v - want[i]!)))).toBeLessThanOrEqual(1);
  });

  it('refuses animated, oversized and corrupt files before libwebp sees them', async () => {
    expect(refusal(file('animated.webp'))).toBe('unsupported WebP: animated (import single images)');
    // A VP8X header declaring a 20000 x 20000 canvas, and nothing else.
    const huge = new Uint8Array(30);
    huge.set(new TextEncoder().encode('RIFF\x16\0\0\0WEBPVP8X\x0a\0\0\0'));
    huge.set([0x1f, 0x4e, 0x00, 0x1f, 0x4e, 0x00], 24); // 19999 = 0x4E1F, stored minus one
    const t = performance.now();
    expect(refusal(huge)).toBe('image declares 20000x20000 pixels (limit 8192x8192)');
    expect(performance.now() - t).toBeLessThan(50);
    const lossy = file('lossy.webp');
    expect(refusal(lossy.subarray(0, 60))).toBe(`truncated WebP: 60 bytes, the RIFF header declares ${lossy.length}`);
    expect(refusal(lossy.subarray(0, 20))).toBe('truncated or corrupt WebP: file ends inside the first chunk');
    // The container is whole but the bitstream is not WebP's: libwebp itself refuses it.
    const broken = lossy.slice();
    broken.fill(0xff, 20, 30);
    broken.set([0x9d, 0x01, 0x2a, 16, 0, 12, 0], 23);
    broken[20] = 0;
    broken.fill(0xff, 30);
    const out = await decodeImageBytes(broken, { channels: 3, height: 12, width: 16, fit: 'resize' });
    expect(out.ok ? 'decoded' : out.reason).toBe('truncated or corrupt WebP: libwebp could not decode it');
  });
});
