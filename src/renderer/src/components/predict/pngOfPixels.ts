// A dataset image (planar uint8 CHW) as PNG file bytes, so images.prepare can fit it to a model's
// input exactly as it fits a dropped file: used when an evaluated dataset's images are stored at
// another size than the model takes. fast-png writes grey as grey and RGB as RGB, so nothing is
// converted on the way (a canvas would have made every image RGBA).
import { encode } from 'fast-png';

export function pngOfPixels(chw: Uint8Array, channels: number, height: number, width: number): Uint8Array {
  const plane = height * width;
  if (channels !== 1 && channels !== 3) throw new Error(`an image has 1 or 3 channels, not ${channels}`);
  if (chw.length !== channels * plane) throw new Error(`image has ${chw.length} bytes, expected ${channels}×${height}×${width}`);
  const interleaved = new Uint8Array(channels * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < channels; c++) interleaved[p * channels + c] = chw[c * plane + p]!;
  return encode({ width, height, channels, depth: 8, data: interleaved });
}
