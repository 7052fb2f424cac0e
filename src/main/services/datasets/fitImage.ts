// Brings a decoded image to the dataset's fixed height x width. Pure and deterministic (plain float64
// arithmetic), so every worker produces the same bytes for the same file.
//
// Resampling is separable, one axis at a time:
// - shrinking an axis averages the source area each output pixel covers (a box filter with
//   fractional edge weights), so thin strokes fade instead of vanishing as with point sampling;
// - growing an axis interpolates bilinearly between pixel centres (half-pixel convention, edges
//   clamped: what PyTorch's interpolate(mode='bilinear', align_corners=False) does);
// - an axis of equal length is copied.
// Results round half up to uint8.

export type FitMode = 'resize' | 'center-crop' | 'pad';

export const FIT_MODES: readonly FitMode[] = ['resize', 'center-crop', 'pad'];

/** Planar (channel-major, CHW) uint8 pixels. */
export interface PlanarImage {
  channels: number;
  height: number;
  width: number;
  data: Uint8Array;
}

interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * resize: stretch to height x width (aspect ratio not kept).
 * center-crop: cut the largest centred region with the target's aspect ratio, then resize it (for a
 * square target this is "scale the short side to the target, crop the centre").
 * pad: scale so the long side fits, then centre it on black (0) padding.
 */
export function fitImage(src: PlanarImage, height: number, width: number, mode: FitMode): Uint8Array {
  const whole: Region = { x: 0, y: 0, width: src.width, height: src.height };
  if (mode === 'resize') return resizeRegion(src, whole, height, width);
  if (mode === 'center-crop') return resizeRegion(src, centreCrop(src.height, src.width, height, width), height, width);
  return padInto(src, height, width);
}

function centreCrop(h: number, w: number, H: number, W: number): Region {
  if (w * H > h * W) {
    // Source is wider than the target: keep full height, cut the sides.
    const cw = Math.min(w, Math.max(1, Math.round((h * W) / H)));
    return { x: Math.floor((w - cw) / 2), y: 0, width: cw, height: h };
  }
  const ch = Math.min(h, Math.max(1, Math.round((w * H) / W)));
  return { x: 0, y: Math.floor((h - ch) / 2), width: w, height: ch };
}

function padInto(src: PlanarImage, H: number, W: number): Uint8Array {
  const { height: h, width: w, channels: C } = src;
  let nh: number;
  let nw: number;
  if (w * H > h * W) {
    nw = W;
    nh = Math.min(H, Math.max(1, Math.round((h * W) / w)));
  } else {
    nh = H;
    nw = Math.min(W, Math.max(1, Math.round((w * H) / h)));
  }
  const scaled = resizeRegion(src, { x: 0, y: 0, width: w, height: h }, nh, nw);
  const out = new Uint8Array(C * H * W); // zero = black padding
  const oy = Math.floor((H - nh) / 2);
  const ox = Math.floor((W - nw) / 2);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < nh; y++) {
      const from = (c * nh + y) * nw;
      out.set(scaled.subarray(from, from + nw), (c * H + oy + y) * W + ox);
    }
  }
  return out;
}

/** For one axis: which source pixels (from `first`) feed each output pixel, and with what weights. */
interface Taps {
  first: Int32Array;
  weights: Float64Array[];
}

function axisTaps(length: number, outLength: number): Taps {
  const first = new Int32Array(outLength);
  const weights: Float64Array[] = [];
  if (outLength < length) {
    const scale = length / outLength;
    for (let i = 0; i < outLength; i++) {
      const lo = i * scale;
      const hi = (i + 1) * scale;
      const j0 = Math.floor(lo);
      const j1 = Math.min(length, Math.ceil(hi));
      const w = new Float64Array(j1 - j0);
      for (let j = j0; j < j1; j++) w[j - j0] = (Math.min(hi, j + 1) - Math.max(lo, j)) / scale;
      first[i] = j0;
      weights.push(w);
    }
  } else {
    const scale = length / outLength;
    for (let i = 0; i < outLength; i++) {
      const x = Math.min(length - 1, Math.max(0, (i + 0.5) * scale - 0.5));
      const j0 = Math.floor(x);
      const f = x - j0;
      first[i] = j0;
      weights.push(j0 + 1 < length && f > 0 ? Float64Array.of(1 - f, f) : Float64Array.of(1));
    }
  }
  return { first, weights };
}

// Round half up; the epsilon absorbs float error in weights like 1/3 so exact halves stay halves.
function toByte(v: number): number {
  const r = Math.floor(v + 0.5 + 1e-9);
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

function resizeRegion(src: PlanarImage, r: Region, H: number, W: number): Uint8Array {
  const { channels: C, height: sh, width: sw, data } = src;
  const out = new Uint8Array(C * H * W);
  if (r.width === W && r.height === H) {
    for (let c = 0; c < C; c++) {
      for (let y = 0; y < H; y++) {
        const from = (c * sh + r.y + y) * sw + r.x;
        out.set(data.subarray(from, from + W), (c * H + y) * W);
      }
    }
    return out;
  }
  const tx = axisTaps(r.width, W);
  const ty = axisTaps(r.height, H);
  // Horizontal pass into float rows (C x r.height x W), then the vertical pass into bytes.
  const rows = new Float64Array(C * r.height * W);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < r.height; y++) {
      const srcRow = (c * sh + r.y + y) * sw + r.x;
      const dstRow = (c * r.height + y) * W;
      for (let x = 0; x < W; x++) {
        const w = tx.weights[x];
        const j0 = srcRow + tx.first[x];
        let sum = 0;
        for (let k = 0; k < w.length; k++) sum += w[k] * data[j0 + k];
        rows[dstRow + x] = sum;
      }
    }
  }
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      const w = ty.weights[y];
      const base = (c * r.height + ty.first[y]) * W;
      const dst = (c * H + y) * W;
      for (let x = 0; x < W; x++) {
        let sum = 0;
        for (let k = 0; k < w.length; k++) sum += w[k] * rows[base + k * W + x];
        out[dst + x] = toByte(sum);
      }
    }
  }
  return out;
}
