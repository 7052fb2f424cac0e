import { describe, expect, it } from 'vitest';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { checkDimensions, checkPngComplete, readImageHeader } from '../../../../src/main/services/datasets/imageHeader';
import type { HeaderResult, ImageHeader } from '../../../../src/main/services/datasets/imageHeader';

function ok(r: HeaderResult): ImageHeader {
  if (r.status !== 'ok') throw new Error(`expected a header, got ${JSON.stringify(r)}`);
  return r.header;
}

function reason(r: HeaderResult): string {
  if (r.status !== 'bad') throw new Error(`expected a refusal, got ${JSON.stringify(r)}`);
  return r.reason;
}

/** A PNG signature + IHDR chunk written by hand (CRC left zero: the header reader does not check it). */
function pngHeaderBytes(width: number, height: number, depth: number, colorType: number, interlace = 0): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const v = new DataView(b.buffer);
  v.setUint32(8, 13);
  b.set([0x49, 0x48, 0x44, 0x52], 12); // IHDR
  v.setUint32(16, width);
  v.setUint32(20, height);
  b[24] = depth;
  b[25] = colorType;
  b[28] = interlace;
  return b;
}

describe('readImageHeader: PNG', () => {
  it('reads size, colour and depth from real encoded files', () => {
    const gray = encodePng({ width: 5, height: 3, channels: 1, depth: 8, data: new Uint8Array(15) });
    expect(ok(readImageHeader(gray, true))).toEqual({ format: 'png', width: 5, height: 3, color: false, alpha: false, bitDepth: 8, interlaced: false });
    const rgba16 = encodePng({ width: 2, height: 7, channels: 4, depth: 16, data: new Uint16Array(56) });
    expect(ok(readImageHeader(rgba16, true))).toMatchObject({ width: 2, height: 7, color: true, alpha: true, bitDepth: 16 });
    const grayAlpha = encodePng({ width: 1, height: 1, channels: 2, depth: 8, data: new Uint8Array(2) });
    expect(ok(readImageHeader(grayAlpha, true))).toMatchObject({ color: false, alpha: true });
  });

  it('calls a palette image gray only when every palette entry is gray', () => {
    const grayPalette = encodePng({ width: 2, height: 1, channels: 1, depth: 8, data: Uint8Array.of(0, 1), palette: [[0, 0, 0], [9, 9, 9]] });
    expect(ok(readImageHeader(grayPalette, true))).toMatchObject({ color: false, bitDepth: 8 });
    const colorPalette = encodePng({ width: 2, height: 1, channels: 1, depth: 8, data: Uint8Array.of(0, 1), palette: [[0, 0, 0], [9, 9, 10]] });
    expect(ok(readImageHeader(colorPalette, true))).toMatchObject({ color: true });
  });

  it('reads a hand-made header declaring 100000x100000 pixels, and the limit check refuses it', () => {
    const header = ok(readImageHeader(pngHeaderBytes(100000, 100000, 8, 2), false));
    expect(header).toMatchObject({ width: 100000, height: 100000, color: true });
    expect(checkDimensions(header)).toBe('image declares 100000x100000 pixels (limit 8192x8192)');
  });

  it('refuses too many megapixels within the side limit, and zero sizes', () => {
    expect(checkDimensions(ok(readImageHeader(pngHeaderBytes(8000, 8000, 8, 0), false)))).toBe(
      'image declares 8000x8000 pixels = 64.0 megapixels (limit 40)',
    );
    expect(checkDimensions(ok(readImageHeader(pngHeaderBytes(0, 5, 8, 0), false)))).toMatch(/0x5 pixels/);
    expect(checkDimensions(ok(readImageHeader(pngHeaderBytes(8192, 4000, 8, 0), false)))).toBeNull();
  });

  it('refuses impossible colour type / depth pairs and unknown interlacing', () => {
    expect(reason(readImageHeader(pngHeaderBytes(4, 4, 4, 2), true))).toBe('corrupt PNG: colour type 2 does not allow bit depth 4');
    expect(reason(readImageHeader(pngHeaderBytes(4, 4, 8, 5), true))).toBe('corrupt PNG: unknown colour type 5');
    expect(reason(readImageHeader(pngHeaderBytes(4, 4, 8, 0, 2), true))).toBe('corrupt PNG: unknown interlace method 2');
  });

  it('asks for more bytes on a prefix, and calls the same bytes truncated when they are the whole file', () => {
    const head = pngHeaderBytes(4, 4, 8, 0).subarray(0, 20);
    expect(readImageHeader(head, false)).toEqual({ status: 'incomplete' });
    expect(reason(readImageHeader(head, true))).toBe('truncated or corrupt PNG: file ends inside the IHDR chunk');
    expect(readImageHeader(head.subarray(0, 3), false)).toEqual({ status: 'incomplete' });
  });

  it('checkPngComplete wants the IEND chunk', () => {
    const png = encodePng({ width: 3, height: 3, channels: 3, depth: 8, data: new Uint8Array(27) });
    expect(checkPngComplete(png)).toBeNull();
    expect(checkPngComplete(png.subarray(0, png.length - 12))).toBe('truncated or corrupt PNG: file ends before the IEND chunk');
    expect(checkPngComplete(png.subarray(0, png.length - 20))).toMatch(/^truncated or corrupt PNG: file ends inside the IDAT chunk/);
  });
});

describe('readImageHeader: JPEG', () => {
  const rgba = (w: number, h: number) => new Uint8Array(w * h * 4).fill(128);

  it('reads width, height and colour from the frame header', () => {
    const j = jpeg.encode({ width: 13, height: 9, data: rgba(13, 9) }, 80).data;
    expect(ok(readImageHeader(new Uint8Array(j), true))).toEqual({ format: 'jpeg', width: 13, height: 9, color: true, alpha: false, bitDepth: 8, interlaced: false });
  });

  it('skips over application segments to reach SOF, and sees one-component files as gray', () => {
    // SOI, APP1 with 300 filler bytes, SOF0 (8-bit, 20x10, 1 component), then nothing more.
    const app = new Uint8Array(304);
    app.set([0xff, 0xe1, 0x01, 0x2e]);
    const sof = Uint8Array.of(0xff, 0xc0, 0x00, 0x0b, 8, 0, 10, 0, 20, 1, 1, 0x11, 0);
    const bytes = new Uint8Array([0xff, 0xd8, ...app, ...sof]);
    expect(ok(readImageHeader(bytes, true))).toMatchObject({ width: 20, height: 10, color: false });
    expect(readImageHeader(bytes.subarray(0, 100), false)).toEqual({ status: 'incomplete' });
    expect(reason(readImageHeader(bytes.subarray(0, 100), true))).toBe('truncated or corrupt JPEG: file ends before the frame header (SOF)');
  });

  it('refuses what jpeg-js cannot decode, by name', () => {
    const lossless = Uint8Array.of(0xff, 0xd8, 0xff, 0xc3, 0x00, 0x0b, 8, 0, 10, 0, 20, 1, 1, 0x11, 0);
    expect(reason(readImageHeader(lossless, true))).toMatch(/^unsupported JPEG: lossless/);
    const twelveBit = Uint8Array.of(0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 12, 0, 10, 0, 20, 1, 1, 0x11, 0);
    expect(reason(readImageHeader(twelveBit, true))).toBe('unsupported JPEG: 12-bit samples (only 8-bit)');
    const noFrame = Uint8Array.of(0xff, 0xd8, 0xff, 0xda, 0x00, 0x02);
    expect(reason(readImageHeader(noFrame, true))).toBe('corrupt JPEG: no frame header (SOF) before the image data');
  });
});

describe('readImageHeader: other files', () => {
  it('names empty files, text and look-alike formats', () => {
    expect(reason(readImageHeader(new Uint8Array(0), true))).toBe('empty file');
    expect(reason(readImageHeader(new TextEncoder().encode('hello, not a picture'), true))).toBe('not a PNG, JPEG, BMP or WebP image');
    expect(reason(readImageHeader(new TextEncoder().encode('GIF89a......'), true))).toBe('not a PNG, JPEG, BMP or WebP image (looks like a GIF image)');
    expect(reason(readImageHeader(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '), true))).toBe('truncated or corrupt WebP: file ends inside the first chunk');
  });
});
