// What a Windows BMP file declares (size, bits per pixel, compression, palette, channel masks),
// read from its first bytes without decoding pixels. Both the header probe and the BMP decoder use
// it, so the size the importer checks against its limits is the size the decoder allocates.
// Pure: bytes in, a verdict out.
//
// Layout (all little-endian): a 14-byte file header ('BM', file size, reserved, pixel data
// offset), then an info header whose first u32 is its own size: 40 (BITMAPINFOHEADER), 52, 56
// (Adobe's with RGB / RGBA masks), 108 (V4) or 124 (V5). Width and height are i32; a negative
// height means the rows are stored top-down. Rows are padded to 4 bytes.

import type { HeaderResult, ImageHeader } from './imageHeader';

export type BmpLayout = {
  width: number;
  height: number;
  topDown: boolean;
  bitsPerPixel: 1 | 4 | 8 | 16 | 24 | 32;
  /** Where the pixel rows start, and the bytes per stored row (padded to 4). */
  dataOffset: number;
  rowBytes: number;
  /** Palette images (1, 4, 8 bits): where the BGRX entries start and how many there are. */
  paletteOffset: number;
  paletteSize: number;
  /** 16/32-bit images: the channel masks (BI_BITFIELDS, or the default 5-5-5 / 8-8-8 layout). */
  masks: { r: number; g: number; b: number; a: number };
};

export type BmpParse = { ok: true; layout: BmpLayout } | { ok: false; reason: string } | { ok: false; incomplete: true };

const INFO_HEADER_SIZES = new Set([40, 52, 56, 108, 124]);
const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const i32 = (b: Uint8Array, at: number): number => u32(b, at) | 0;

/** Reads the headers and, for palette images, checks the palette is there. `complete` says
 *  whether `b` is the whole file (running short then means truncated, else read more). */
export function parseBmp(b: Uint8Array, complete: boolean): BmpParse {
  const short = (where: string): BmpParse => (complete ? { ok: false, reason: `truncated or corrupt BMP: file ends ${where}` } : { ok: false, incomplete: true });
  if (b.length < 18) return short('inside the file header');
  const infoSize = u32(b, 14);
  if (infoSize === 12 || infoSize === 64) return { ok: false, reason: `unsupported BMP: OS/2 ${infoSize}-byte header (re-save it as a Windows BMP)` };
  if (!INFO_HEADER_SIZES.has(infoSize)) return { ok: false, reason: `corrupt BMP: unknown info header size ${infoSize}` };
  if (b.length < 14 + infoSize) return short('inside the info header');
  const width = i32(b, 18);
  const rawHeight = i32(b, 22);
  const planes = u16(b, 26);
  const bits = u16(b, 28);
  const compression = u32(b, 30);
  const colorsUsed = u32(b, 46);
  if (width < 0) return { ok: false, reason: `corrupt BMP: negative width ${width}` };
  if (planes !== 1) return { ok: false, reason: `corrupt BMP: ${planes} colour planes (must be 1)` };
  if (compression === 1 || compression === 2) return { ok: false, reason: 'unsupported BMP: RLE compression (re-save it uncompressed)' };
  if (compression === 4 || compression === 5) return { ok: false, reason: `unsupported BMP: it holds a ${compression === 4 ? 'JPEG' : 'PNG'} image` };
  const bitfields = compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS;
  if (compression !== BI_RGB && !bitfields) return { ok: false, reason: `corrupt BMP: unknown compression ${compression}` };
  if (![1, 4, 8, 16, 24, 32].includes(bits)) return { ok: false, reason: `corrupt BMP: ${bits} bits per pixel` };
  if (bitfields && bits !== 16 && bits !== 32) return { ok: false, reason: `corrupt BMP: channel masks with ${bits} bits per pixel` };

  let masks = bits === 16 ? { r: 0x7c00, g: 0x03e0, b: 0x001f, a: 0 } : { r: 0xff0000, g: 0xff00, b: 0xff, a: 0 };
  // Masks sit inside a 52+ byte info header, or right after a 40-byte one.
  let afterHeader = 14 + infoSize;
  if (bitfields) {
    const maskCount = compression === BI_ALPHABITFIELDS || infoSize >= 56 ? 4 : 3;
    if (infoSize === 40) afterHeader += 4 * maskCount;
    if (b.length < 54 + 4 * maskCount) return short('inside the channel masks');
    masks = { r: u32(b, 54), g: u32(b, 58), b: u32(b, 62), a: maskCount === 4 ? u32(b, 66) : 0 };
    for (const m of [masks.r, masks.g, masks.b, masks.a]) {
      if (m !== 0 && !isContiguous(m)) return { ok: false, reason: `corrupt BMP: channel mask 0x${m.toString(16)} is not one run of bits` };
    }
  }
  let paletteSize = 0;
  if (bits <= 8) {
    const most = 2 ** bits;
    paletteSize = colorsUsed === 0 ? most : colorsUsed;
    if (paletteSize > most) return { ok: false, reason: `corrupt BMP: ${colorsUsed} palette colours for ${bits}-bit pixels (at most ${most})` };
    if (b.length < afterHeader + 4 * paletteSize) return short('inside the palette');
  }
  return {
    ok: true,
    layout: {
      width,
      height: Math.abs(rawHeight),
      topDown: rawHeight < 0,
      bitsPerPixel: bits as BmpLayout['bitsPerPixel'],
      dataOffset: u32(b, 10),
      rowBytes: Math.floor((bits * width + 31) / 32) * 4,
      paletteOffset: afterHeader,
      paletteSize,
      masks,
    },
  };
}

/** The importer's header verdict for a BMP file (see imageHeader.ts). */
export function readBmpHeader(b: Uint8Array, complete: boolean): HeaderResult {
  const parsed = parseBmp(b, complete);
  if (!parsed.ok) return 'incomplete' in parsed ? { status: 'incomplete' } : { status: 'bad', reason: parsed.reason };
  const l = parsed.layout;
  const header: ImageHeader = {
    format: 'bmp',
    width: l.width,
    height: l.height,
    color: l.bitsPerPixel > 8 || !bmpPaletteIsGray(b, l),
    alpha: l.bitsPerPixel >= 16 && l.masks.a !== 0,
    bitDepth: l.bitsPerPixel,
    interlaced: false,
  };
  return { status: 'ok', header };
}

/** True when every palette entry is gray (r = g = b), as for a grayscale image saved as BMP. */
export function bmpPaletteIsGray(b: Uint8Array, layout: BmpLayout): boolean {
  for (let i = 0; i < layout.paletteSize; i++) {
    const at = layout.paletteOffset + 4 * i;
    if (b[at] !== b[at + 1] || b[at + 1] !== b[at + 2]) return false;
  }
  return true;
}

/** Bits below a mask's lowest set bit (mask & -mask isolates that bit). */
export function maskShift(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}

/** One run of set bits, as a channel mask must be (0x00ff0000, 0x7c00, …). */
function isContiguous(mask: number): boolean {
  const low = mask >>> maskShift(mask);
  return (low & (low + 1)) === 0;
}
