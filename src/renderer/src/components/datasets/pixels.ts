// Planar uint8 CHW (how datasets store images) → interleaved RGBA (what ImageData wants).
// Grey images repeat their one channel into R, G and B; alpha is always opaque.

export function chwToRgba(chw: Uint8Array, channels: number, height: number, width: number): Uint8ClampedArray<ArrayBuffer> {
  const plane = height * width;
  if (chw.length < channels * plane) throw new Error(`image has ${chw.length} bytes, expected ${channels}×${height}×${width}`);
  const rgba = new Uint8ClampedArray(plane * 4);
  for (let p = 0; p < plane; p++) {
    const r = chw[p]!;
    rgba[p * 4] = r;
    rgba[p * 4 + 1] = channels === 3 ? chw[plane + p]! : r;
    rgba[p * 4 + 2] = channels === 3 ? chw[2 * plane + p]! : r;
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}
