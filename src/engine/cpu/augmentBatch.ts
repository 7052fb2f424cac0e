// The augmented batch gather in float64: the CPU twin of kernels/augment_batch.wgsl. Each image is
// gathered as gatherBatch does, but through its row of the parameter table (backend.ts
// AUGMENT_PARAMS, drawn by train/augmentDraw.ts), on pixel values v/255 in [0, 1]:
//
//   crop      C(y, x) = I(y + dy, x + dx), 0 (black) outside the image   (RandomCrop, padding)
//   flip      F(y, x) = C(y, W − 1 − x) when flip = 1                      (RandomHorizontalFlip)
//   resize    R(y, x) = bilinear sample of F inside the box (top, left, bh, bw) at
//             sy = max(0, (y + ½)·bh/H − ½), sx likewise: F.interpolate(box, (H, W), 'bilinear',
//             align_corners=False); the whole-image box gives R = F exactly
//   jitter    J = clamp(brightness·R, 0, 1); m = mean over the image of grey(J) (0.2989 R + 0.587 G
//             + 0.114 B, or the one channel); out = clamp(contrast·J + (1 − contrast)·m, 0, 1)
//   then      (out − mean[c]) / std[c]
//
// The order of these stages and their formulas are the contract docs/formats/augmentation.md
// describes for other implementations (the exported PyTorch project).

import { AUGMENT_PARAMS, type GatherBatchOptions } from '../backend';
import { checkGatherOptions, sampleIndex } from './batch';

/** torchvision's rgb_to_grayscale weights, which adjust_contrast takes the mean of. */
export const GREY_WEIGHTS = [0.2989, 0.587, 0.114] as const;

/** The bilinear taps along one axis: rows (or columns) a, b of the box and b's weight. */
function taps(out: number, outSize: number, boxStart: number, boxSize: number): [number, number, number] {
  const src = Math.max(0, (boxSize / outSize) * (out + 0.5) - 0.5);
  const i0 = Math.floor(src);
  const i1 = i0 < boxSize - 1 ? i0 + 1 : i0;
  return [boxStart + i0, boxStart + i1, src - i0];
}

export function augmentBatchCpu(o: GatherBatchOptions, images: Float64Array, indices: Float64Array, params: Float64Array, out: Float64Array): void {
  checkGatherOptions(o);
  const { height: H, width: W, channels: C } = o;
  const pixels = H * W;
  const sampleBytes = C * pixels;
  const available = Math.floor(images.length / sampleBytes);
  if (params.length < o.count * AUGMENT_PARAMS) throw new Error(`gatherBatchAugmented: the parameter table holds ${params.length} numbers, need ${AUGMENT_PARAMS} for each of ${o.count} images`);
  for (let i = 0; i < o.count; i++) {
    const src = sampleIndex(indices, i, available) * sampleBytes;
    const [dy, dx, flip, top, left, bh, bw, brightness, contrast] = params.subarray(i * AUGMENT_PARAMS, (i + 1) * AUGMENT_PARAMS);
    // The cropped, flipped image at (r, q), with black outside the source.
    const at = (c: number, r: number, q: number): number => {
      const y = r + dy!;
      const x = (flip ? W - 1 - q : q) + dx!;
      return y >= 0 && y < H && x >= 0 && x < W ? images[src + c * pixels + y * W + x]! / 255 : 0;
    };
    const base = i * sampleBytes;
    let grey = 0;
    for (let y = 0; y < H; y++) {
      const [r0, r1, ly] = taps(y, H, top!, bh!);
      for (let x = 0; x < W; x++) {
        const [q0, q1, lx] = taps(x, W, left!, bw!);
        for (let c = 0; c < C; c++) {
          const v = (1 - ly) * ((1 - lx) * at(c, r0, q0) + lx * at(c, r0, q1)) + ly * ((1 - lx) * at(c, r1, q0) + lx * at(c, r1, q1));
          const bright = Math.min(1, Math.max(0, brightness! * v));
          out[base + c * pixels + y * W + x] = bright;
          grey += (C === 3 ? GREY_WEIGHTS[c]! : c === 0 ? 1 : 0) * bright;
        }
      }
    }
    const m = grey / pixels;
    for (let c = 0; c < C; c++) {
      for (let p = 0; p < pixels; p++) {
        const k = base + c * pixels + p;
        const v = contrast === 1 ? out[k]! : Math.min(1, Math.max(0, contrast! * out[k]! + (1 - contrast!) * m));
        out[k] = (v - o.mean[c]!) / o.std[c]!;
      }
    }
  }
}
