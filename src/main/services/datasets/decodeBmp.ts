// Pixels of an uncompressed Windows BMP (1, 4, 8, 16, 24 or 32 bits per pixel; 16/32-bit with
// BI_BITFIELDS masks too), as interleaved 8-bit RGB with any alpha composited over black (as the
// PNG path does). Our own decoder: the npm BMP decoders we checked mis-place RLE pixels or stop
// odd-width 4-bit images after their first pixel, and the format is small enough to read here.
// The caller has already checked the declared size against the import limits (parseBmp).
import { type BmpLayout, maskShift } from './bmpHeader';

export type BmpPixels = { ok: true; width: number; height: number; rgb: Uint8Array } | { ok: false; reason: string };

export function decodeBmp(b: Uint8Array, layout: BmpLayout): BmpPixels {
  const { width, height, rowBytes, dataOffset, bitsPerPixel: bits } = layout;
  if (dataOffset < layout.paletteOffset || dataOffset > b.length) return { ok: false, reason: `corrupt BMP: pixel data offset ${dataOffset} is outside the file` };
  // Only the last row may skip its padding (some writers drop it).
  const needed = dataOffset + rowBytes * (height - 1) + Math.ceil((bits * width) / 8);
  if (height > 0 && b.length < needed) return { ok: false, reason: `truncated BMP: ${b.length} bytes, the pixel rows need ${needed}` };

  const rgb = new Uint8Array(width * height * 3);
  const palette = (index: number, out: number) => {
    // An index past the palette is a corrupt file; black is what most viewers show.
    if (index >= layout.paletteSize) return;
    const at = layout.paletteOffset + 4 * index;
    rgb[out] = b[at + 2]!;
    rgb[out + 1] = b[at + 1]!;
    rgb[out + 2] = b[at]!;
  };
  const channel = masked(layout.masks);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + rowBytes * (layout.topDown ? y : height - 1 - y);
    for (let x = 0; x < width; x++) {
      const out = 3 * (y * width + x);
      if (bits <= 8) {
        const bit = x * bits;
        const byte = b[row + (bit >> 3)]!;
        palette((byte >> (8 - bits - (bit & 7))) & ((1 << bits) - 1), out);
      } else if (bits === 24) {
        const at = row + 3 * x;
        rgb[out] = b[at + 2]!;
        rgb[out + 1] = b[at + 1]!;
        rgb[out + 2] = b[at]!;
      } else {
        const at = row + (bits / 8) * x;
        const px = bits === 16 ? b[at]! | (b[at + 1]! << 8) : (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
        const a = channel.a(px);
        rgb[out] = over(channel.r(px), a);
        rgb[out + 1] = over(channel.g(px), a);
        rgb[out + 2] = over(channel.b(px), a);
      }
    }
  }
  return { ok: true, width, height, rgb };
}

const over = (c: number, a: number): number => Math.floor((c * a) / 255 + 0.5);

/** Readers that scale each masked field to 0..255; no alpha mask means opaque. */
function masked(masks: BmpLayout['masks']) {
  const reader = (mask: number, absent: number) => {
    if (mask === 0) return () => absent;
    const shift = maskShift(mask);
    const max = mask >>> shift;
    return (px: number) => (max === 255 ? ((px & mask) >>> shift) & 255 : Math.floor((((px & mask) >>> shift) * 255) / max + 0.5));
  };
  return { r: reader(masks.r, 0), g: reader(masks.g, 0), b: reader(masks.b, 0), a: reader(masks.a, 255) };
}
