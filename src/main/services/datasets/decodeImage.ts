// One file's bytes -> the dataset's pixels (planar CHW uint8 at the target size), or the reason it
// cannot be. Runs inside the decode workers. Decoders: fast-png and jpeg-js (pure JS), our BMP
// reader (decodeBmp.ts) and libwebp in WebAssembly (decodeWebp.ts, the one asynchronous path).
//
// Conversions, in order:
// 1. samples to 8 bits: sub-byte gray scales v * 255 / (2^d - 1); 16-bit rounds v * 255 / 65535;
// 2. alpha (an alpha channel, or a tRNS colour key / palette alpha) is composited over black:
//    out = round(c * a / max), so transparent pixels become 0 like the zero padding of 'pad';
// 3. to the dataset's channels: gray -> RGB replicates; RGB -> gray is BT.601 luma
//    (299 R + 587 G + 114 B) / 1000, rounded half up, in integers so every worker agrees;
// 4. fitImage brings it to height x width.

import { decode as decodePng } from 'fast-png';
import type { DecodedPng } from 'fast-png';
import jpeg from 'jpeg-js';
import { parseBmp } from './bmpHeader';
import { decodeBmp } from './decodeBmp';
import { decodeWebp } from './decodeWebp';
import { checkDimensions, checkPngComplete, DEFAULT_IMAGE_LIMITS, readImageHeader } from './imageHeader';
import type { ImageLimits } from './imageHeader';
import { fitImage } from './fitImage';
import type { FitMode, PlanarImage } from './fitImage';

export interface DecodeTarget {
  channels: 1 | 3;
  height: number;
  width: number;
  fit: FitMode;
  limits?: ImageLimits;
}

export type DecodeOutcome = { ok: true; data: Uint8Array } | { ok: false; reason: string };

export async function decodeImageBytes(bytes: Uint8Array, target: DecodeTarget): Promise<DecodeOutcome> {
  const limits = target.limits ?? DEFAULT_IMAGE_LIMITS;
  const sniffed = readImageHeader(bytes, true);
  if (sniffed.status === 'bad') return { ok: false, reason: sniffed.reason };
  if (sniffed.status === 'incomplete') return { ok: false, reason: 'truncated file' }; // unreachable with complete=true
  const header = sniffed.header;
  const tooBig = checkDimensions(header, limits);
  if (tooBig) return { ok: false, reason: tooBig };

  let image: PlanarImage;
  if (header.format === 'png') {
    const incomplete = checkPngComplete(bytes);
    if (incomplete) return { ok: false, reason: incomplete };
    if (header.interlaced && header.bitDepth < 8) {
      // fast-png's Adam7 path assumes whole bytes per pixel and would return scrambled pixels.
      return { ok: false, reason: `unsupported PNG: interlaced with ${header.bitDepth}-bit samples (re-save it without interlacing)` };
    }
    let png: DecodedPng;
    try {
      png = decodePng(bytes, { checkCrc: true });
    } catch (err) {
      return { ok: false, reason: `truncated or corrupt PNG: ${message(err)}` };
    }
    try {
      image = pngToPlanar(png, target.channels);
    } catch (err) {
      return { ok: false, reason: `corrupt PNG: ${message(err)}` };
    }
  } else if (header.format === 'bmp' || header.format === 'webp') {
    let decoded;
    if (header.format === 'webp') {
      decoded = await decodeWebp(bytes, header.alpha);
    } else {
      const parsed = parseBmp(bytes, true);
      decoded = parsed.ok ? decodeBmp(bytes, parsed.layout) : { ok: false as const, reason: 'incomplete' in parsed ? 'truncated BMP' : parsed.reason };
    }
    if (!decoded.ok) return decoded;
    image = rgbToPlanar(decoded.rgb, decoded.width, decoded.height, header.color ? 3 : 1, target.channels);
  } else {
    let rgb: { width: number; height: number; data: Uint8Array };
    try {
      rgb = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: false,
        // Tolerant mode hides truncation by returning a partly grey image; we want to know.
        tolerantDecoding: false,
        maxResolutionInMP: limits.maxMegapixels,
        maxMemoryUsageInMB: 1024,
      });
    } catch (err) {
      return { ok: false, reason: `truncated or corrupt JPEG: ${message(err)}` };
    }
    image = rgbToPlanar(rgb.data, rgb.width, rgb.height, header.color ? 3 : 1, target.channels);
  }
  if (image.width !== header.width || image.height !== header.height) {
    return { ok: false, reason: `corrupt ${header.format.toUpperCase()}: decoded ${image.width}x${image.height}, header declares ${header.width}x${header.height}` };
  }
  return { ok: true, data: fitImage(image, target.height, target.width, target.fit) };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Interleaved 8-bit RGB (jpeg-js, BMP and WebP output; gray images arrive replicated) -> planar
 *  target channels. */
function rgbToPlanar(src: Uint8Array, width: number, height: number, sourceChannels: 1 | 3, channels: 1 | 3): PlanarImage {
  const n = width * height;
  const data = new Uint8Array(channels * n);
  for (let i = 0; i < n; i++) {
    const r = src[3 * i];
    const g = src[3 * i + 1];
    const b = src[3 * i + 2];
    if (channels === 3) {
      data[i] = r;
      data[n + i] = g;
      data[2 * n + i] = b;
    } else {
      data[i] = sourceChannels === 1 ? r : luma(r, g, b);
    }
  }
  return { channels, height, width, data };
}

export function luma(r: number, g: number, b: number): number {
  return Math.floor((299 * r + 587 * g + 114 * b + 500) / 1000);
}

/** Samples as one value per array slot: fast-png packs sub-byte rows, so unpack them. */
function unpackSamples(png: DecodedPng): ArrayLike<number> {
  const { width, height, depth, data } = png;
  const perRow = width * png.channels;
  const expected = perRow * height;
  if (depth >= 8) {
    if (data.length < expected) throw new Error(`pixel data holds ${data.length} samples, expected ${expected}`);
    return data;
  }
  const rowBytes = Math.ceil((perRow * depth) / 8);
  if (data.length < rowBytes * height) throw new Error(`pixel data holds ${data.length} bytes, expected ${rowBytes * height}`);
  const out = new Uint8Array(expected);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < perRow; x++) {
      const bit = x * depth;
      const byte = data[y * rowBytes + (bit >> 3)];
      out[y * perRow + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

function pngToPlanar(png: DecodedPng, channels: 1 | 3): PlanarImage {
  const { width, height, depth } = png;
  const n = width * height;
  const s = unpackSamples(png);
  const max = depth === 16 ? 65535 : (1 << depth) - 1;
  const out = new Uint8Array(channels * n);
  // to8(c, a): sample c with alpha a (both 0..max) composited over black, as 0..255.
  const to8 = (c: number, a: number) => Math.floor((c * a * 255) / (max * max) + 0.5);
  const put = (i: number, r: number, g: number, b: number) => {
    if (channels === 3) {
      out[i] = r;
      out[n + i] = g;
      out[2 * n + i] = b;
    } else {
      out[i] = r === g && g === b ? r : luma(r, g, b);
    }
  };
  const key = png.transparency; // tRNS colour key for gray / RGB images
  const pc = png.channels;
  if (png.palette) {
    const palette = png.palette;
    for (let i = 0; i < n; i++) {
      const entry = palette[s[i]];
      if (!entry) throw new Error(`palette index ${s[i]} is outside the ${palette.length}-entry palette`);
      const a = entry.length > 3 ? entry[3] : 255;
      // Palette entries are 8-bit whatever the index depth.
      put(i, Math.floor((entry[0] * a) / 255 + 0.5), Math.floor((entry[1] * a) / 255 + 0.5), Math.floor((entry[2] * a) / 255 + 0.5));
    }
  } else if (pc === 1 || pc === 2) {
    for (let i = 0; i < n; i++) {
      const v = s[i * pc];
      let a = pc === 2 ? s[i * pc + 1] : max;
      if (pc === 1 && key && key.length >= 1 && v === key[0]) a = 0;
      const g = to8(v, a);
      put(i, g, g, g);
    }
  } else if (pc === 3 || pc === 4) {
    for (let i = 0; i < n; i++) {
      const r = s[i * pc];
      const g = s[i * pc + 1];
      const b = s[i * pc + 2];
      let a = pc === 4 ? s[i * pc + 3] : max;
      if (pc === 3 && key && key.length >= 3 && r === key[0] && g === key[1] && b === key[2]) a = 0;
      put(i, to8(r, a), to8(g, a), to8(b, a));
    }
  } else {
    throw new Error(`unexpected ${pc} channels`);
  }
  return { channels, height, width, data: out };
}
