// What a WebP file declares (canvas size, alpha, animation), read from its first 30 bytes without
// decoding pixels, so oversized or animated files are refused before libwebp allocates anything.
// Pure: bytes in, a verdict out.
//
// A WebP file is a RIFF container: 'RIFF', u32 size, 'WEBP', then chunks. The first chunk says
// which kind it is (all little-endian):
//   'VP8 '  lossy: a 3-byte frame tag (bit 0 clear on a key frame), start code 9D 01 2A, then
//           14-bit width and height (the top 2 bits of each u16 are a scaling hint)
//   'VP8L'  lossless: signature 0x2F, then 14 bits width-1, 14 bits height-1, 1 bit alpha hint,
//           3 bits version (0)
//   'VP8X'  extended: a flags byte (0x10 alpha, 0x02 animation), 3 reserved bytes, then u24
//           canvas width-1 and height-1

import type { HeaderResult } from './imageHeader';

export type WebpParse =
  | { ok: true; width: number; height: number; alpha: boolean }
  | { ok: false; reason: string }
  | { ok: false; incomplete: true };

const ascii = (b: Uint8Array, from: number, to: number): string => String.fromCharCode(...b.subarray(from, to));
const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u24 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);

/** True for the first 12 bytes of any WebP file. */
export function isWebp(b: Uint8Array): boolean {
  return b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP';
}

export function parseWebp(b: Uint8Array, complete: boolean): WebpParse {
  if (b.length < 30) return complete ? { ok: false, reason: 'truncated or corrupt WebP: file ends inside the first chunk' } : { ok: false, incomplete: true };
  const riffEnd = 8 + ((b[4]! | (b[5]! << 8) | (b[6]! << 16) | (b[7]! << 24)) >>> 0);
  if (complete && riffEnd > b.length) return { ok: false, reason: `truncated WebP: ${b.length} bytes, the RIFF header declares ${riffEnd}` };
  const kind = ascii(b, 12, 16);
  if (kind === 'VP8 ') {
    if ((b[20]! & 1) !== 0 || b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) {
      return { ok: false, reason: 'corrupt WebP: the lossy image does not start with a key frame' };
    }
    return { ok: true, width: u16(b, 26) & 0x3fff, height: u16(b, 28) & 0x3fff, alpha: false };
  }
  if (kind === 'VP8L') {
    if (b[20] !== 0x2f) return { ok: false, reason: 'corrupt WebP: bad lossless signature' };
    const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0;
    if (bits >>> 29 !== 0) return { ok: false, reason: `unsupported WebP: lossless version ${bits >>> 29}` };
    return { ok: true, width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, alpha: ((bits >>> 28) & 1) === 1 };
  }
  if (kind === 'VP8X') {
    const flags = b[20]!;
    if (flags & 0x02) return { ok: false, reason: 'unsupported WebP: animated (import single images)' };
    return { ok: true, width: u24(b, 24) + 1, height: u24(b, 27) + 1, alpha: (flags & 0x10) !== 0 };
  }
  return { ok: false, reason: `corrupt WebP: unknown first chunk ${JSON.stringify(kind)}` };
}

/** The importer's header verdict for a WebP file (see imageHeader.ts). */
export function readWebpHeader(b: Uint8Array, complete: boolean): HeaderResult {
  const parsed = parseWebp(b, complete);
  if (!parsed.ok) return 'incomplete' in parsed ? { status: 'incomplete' } : { status: 'bad', reason: parsed.reason };
  return { status: 'ok', header: { format: 'webp', width: parsed.width, height: parsed.height, color: true, alpha: parsed.alpha, bitDepth: 8, interlaced: false } };
}
