// Reads what a PNG, JPEG, BMP or WebP file declares about itself (size, colour, bit depth) from its
// first bytes, without decoding any pixels. The importer uses it twice: on a short prefix of every file to decide
// the dataset's channel count, and on the whole file in a worker to refuse oversized or malformed
// images before a decoder allocates anything. Pure: bytes in, a verdict out; no Node imports.

import { readBmpHeader } from './bmpHeader';
import { isWebp, readWebpHeader } from './webpHeader';

export type ImageFormat = 'png' | 'jpeg' | 'bmp' | 'webp';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
  /** False when the file declares grayscale (PNG colour types 0/4, an all-gray palette in a PNG or
   *  BMP, 1-component JPEG). WebP has no grayscale mode: always true. */
  color: boolean;
  /** PNG: an alpha channel or a tRNS chunk seen before the image data. BMP: an alpha mask.
   *  WebP: the alpha flag. JPEG: always false. */
  alpha: boolean;
  /** Bits per sample: PNG 1/2/4/8/16, JPEG and WebP 8; BMP: bits per pixel (1/4/8/16/24/32). */
  bitDepth: number;
  /** PNG only. */
  interlaced: boolean;
}

/** `incomplete`: the bytes ended before the answer; only returned when the caller said they are a prefix. */
export type HeaderResult =
  | { status: 'ok'; header: ImageHeader }
  | { status: 'bad'; reason: string }
  | { status: 'incomplete' };

export interface ImageLimits {
  maxSide: number;
  maxMegapixels: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxSide: 8192, maxMegapixels: 40 };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

// Bit depths the PNG specification allows for each colour type (table 11.1).
const PNG_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** Signatures of formats people often drop into image folders, to say what a refused file looks like. */
function lookalike(b: Uint8Array): string | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 4 && ascii(0, 4) === 'GIF8') return 'a GIF image';
  if (b.length >= 4 && (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*')) return 'a TIFF image';
  if (b.length >= 12 && ascii(4, 8) === 'ftyp') return 'an HEIC/AVIF or MP4 file';
  return null;
}

/**
 * Says what the bytes declare. `complete` tells whether `bytes` is the whole file: when it is not,
 * running out of bytes answers `incomplete` (read more); when it is, the file is truncated.
 */
export function readImageHeader(bytes: Uint8Array, complete: boolean): HeaderResult {
  if (bytes.length === 0) return complete ? { status: 'bad', reason: 'empty file' } : { status: 'incomplete' };
  if (startsWith(bytes, PNG_SIGNATURE)) return readPngHeader(bytes, complete);
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return readBmpHeader(bytes, complete); // 'BM'
  if (isWebp(bytes)) return readWebpHeader(bytes, complete);
  if (bytes[0] === 0xff && (bytes.length < 2 || bytes[1] === 0xd8)) {
    if (bytes.length < 2) return complete ? notImage(bytes) : { status: 'incomplete' };
    return readJpegHeader(bytes, complete);
  }
  // A prefix shorter than a signature may still become one.
  if (!complete && couldBecomeSignature(bytes)) return { status: 'incomplete' };
  return notImage(bytes);
}

function couldBecomeSignature(bytes: Uint8Array): boolean {
  const prefix = [...bytes.subarray(0, 12)];
  if (bytes.length < PNG_SIGNATURE.length && startsWith(PNG_SIGNATURE, prefix)) return true;
  if (bytes.length < 2 && bytes[0] === 0x42) return true; // 'B' of 'BM'
  const riff = [0x52, 0x49, 0x46, 0x46];
  return bytes.length < 12 && startsWith(riff, prefix.slice(0, 4)); // 'RIFF', then 'WEBP' at 8
}

function notImage(bytes: Uint8Array): HeaderResult {
  const like = lookalike(bytes);
  return { status: 'bad', reason: like ? `not a PNG, JPEG, BMP or WebP image (looks like ${like})` : 'not a PNG, JPEG, BMP or WebP image' };
}

/** Refuses images whose declared size is zero or over the limits, before anything is allocated. */
export function checkDimensions(header: ImageHeader, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): string | null {
  const { width, height } = header;
  if (width === 0 || height === 0) return `image declares ${width}x${height} pixels (an empty image)`;
  if (width > limits.maxSide || height > limits.maxSide) {
    return `image declares ${width}x${height} pixels (limit ${limits.maxSide}x${limits.maxSide})`;
  }
  const megapixels = (width * height) / 1e6;
  if (megapixels > limits.maxMegapixels) {
    return `image declares ${width}x${height} pixels = ${megapixels.toFixed(1)} megapixels (limit ${limits.maxMegapixels})`;
  }
  return null;
}

function startsWith(bytes: ArrayLike<number>, prefix: ArrayLike<number>): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

function chunkType(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

// PNG: IHDR must come first and holds the size; a palette image is grayscale only when every PLTE
// entry has r = g = b, so we walk the chunks up to the first IDAT to see PLTE and tRNS.
function readPngHeader(b: Uint8Array, complete: boolean): HeaderResult {
  const truncated = (where: string): HeaderResult =>
    complete ? { status: 'bad', reason: `truncated or corrupt PNG: file ends ${where}` } : { status: 'incomplete' };
  if (b.length < 33) return truncated('inside the IHDR chunk');
  if (u32(b, 8) !== 13 || chunkType(b, 12) !== 'IHDR') {
    return { status: 'bad', reason: 'corrupt PNG: the first chunk is not a 13-byte IHDR' };
  }
  const width = u32(b, 16);
  const height = u32(b, 20);
  const bitDepth = b[24];
  const colorType = b[25];
  const interlace = b[28];
  const depths = PNG_DEPTHS[colorType];
  if (!depths) return { status: 'bad', reason: `corrupt PNG: unknown colour type ${colorType}` };
  if (!depths.includes(bitDepth)) {
    return { status: 'bad', reason: `corrupt PNG: colour type ${colorType} does not allow bit depth ${bitDepth}` };
  }
  if (interlace > 1) return { status: 'bad', reason: `corrupt PNG: unknown interlace method ${interlace}` };
  const header: ImageHeader = {
    format: 'png',
    width,
    height,
    color: colorType === 2 || colorType === 6,
    alpha: colorType === 4 || colorType === 6,
    bitDepth,
    interlaced: interlace === 1,
  };
  if (colorType !== 3) {
    // tRNS only changes alpha, which does not decide channels; no need to read further.
    return { status: 'ok', header };
  }
  let at = 33;
  let sawPalette = false;
  for (;;) {
    if (at + 8 > b.length) return truncated('before the image data');
    const length = u32(b, at);
    const type = chunkType(b, at + 4);
    if (type === 'IDAT' || type === 'IEND') break;
    if (at + 12 + length > b.length) return truncated(`inside the ${type} chunk`);
    if (type === 'PLTE') {
      if (length % 3 !== 0 || length === 0) return { status: 'bad', reason: 'corrupt PNG: PLTE length is not a multiple of 3' };
      sawPalette = true;
      for (let i = at + 8; i < at + 8 + length; i += 3) {
        if (b[i] !== b[i + 1] || b[i] !== b[i + 2]) header.color = true;
      }
    }
    if (type === 'tRNS') header.alpha = true;
    at += 12 + length;
  }
  if (!sawPalette) return { status: 'bad', reason: 'corrupt PNG: palette image without a PLTE chunk' };
  return { status: 'ok', header };
}

/**
 * Walks a whole PNG's chunk list and says whether it ends properly with IEND. A file cut at a chunk
 * boundary would otherwise decode "successfully" into partly blank pixels.
 */
export function checkPngComplete(b: Uint8Array): string | null {
  let at = 8;
  while (at + 8 <= b.length) {
    const length = u32(b, at);
    const type = chunkType(b, at + 4);
    if (at + 12 + length > b.length) return `truncated or corrupt PNG: file ends inside the ${type} chunk`;
    if (type === 'IEND') return null;
    at += 12 + length;
  }
  return 'truncated or corrupt PNG: file ends before the IEND chunk';
}

// Start-of-frame markers: C0 baseline, C1 extended, C2 progressive (what jpeg-js decodes); C3 and
// C5-C7 lossless/hierarchical, C9-CB and CD-CF arithmetic coding (it does not).
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const DECODABLE_SOF = new Set([0xc0, 0xc1, 0xc2]);

// JPEG: markers are FF xx; all but SOI/EOI/RSTn/TEM carry a 2-byte length. The size sits in the
// first SOFn, which may follow many kilobytes of EXIF and ICC data.
function readJpegHeader(b: Uint8Array, complete: boolean): HeaderResult {
  const truncated = (): HeaderResult =>
    complete ? { status: 'bad', reason: 'truncated or corrupt JPEG: file ends before the frame header (SOF)' } : { status: 'incomplete' };
  let at = 2;
  for (;;) {
    if (at >= b.length) return truncated();
    if (b[at] !== 0xff) {
      return { status: 'bad', reason: `corrupt JPEG: expected a marker at byte ${at}, found 0x${b[at].toString(16).padStart(2, '0')}` };
    }
    while (at < b.length && b[at] === 0xff) at++; // fill bytes
    if (at >= b.length) return truncated();
    const marker = b[at++];
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd9 || marker === 0xda) {
      return { status: 'bad', reason: 'corrupt JPEG: no frame header (SOF) before the image data' };
    }
    if (at + 2 > b.length) return truncated();
    const length = u16(b, at);
    if (length < 2) return { status: 'bad', reason: `corrupt JPEG: marker 0xFF${hex(marker)} has length ${length}` };
    if (SOF_MARKERS.has(marker)) {
      if (at + 8 > b.length) return truncated();
      const precision = b[at + 2];
      const height = u16(b, at + 3);
      const width = u16(b, at + 5);
      const components = b[at + 7];
      if (!DECODABLE_SOF.has(marker)) {
        return { status: 'bad', reason: `unsupported JPEG: lossless, hierarchical or arithmetic coding (marker 0xFF${hex(marker)})` };
      }
      if (precision !== 8) return { status: 'bad', reason: `unsupported JPEG: ${precision}-bit samples (only 8-bit)` };
      if (height === 0) return { status: 'bad', reason: 'unsupported JPEG: height defined later by a DNL marker' };
      if (components !== 1 && components !== 3 && components !== 4) {
        return { status: 'bad', reason: `unsupported JPEG: ${components} colour components` };
      }
      const header: ImageHeader = { format: 'jpeg', width, height, color: components !== 1, alpha: false, bitDepth: 8, interlaced: false };
      return { status: 'ok', header };
    }
    at += length;
  }
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
