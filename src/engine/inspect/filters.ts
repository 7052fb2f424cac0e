// A conv layer's filters for people to look at: statistics per filter (its weights and the
// gradient the inspected target gives them) and the filters as images — one colour tile per
// filter when it reads the three channels of an RGB image, else one grey-scale tile per (filter,
// input channel) on the layer's diverging scale, so filters are comparable with each other.
// And the saliency map: |d target / d input| over the image.

import { type RgbaImage, gridImage, planeImage, rangeOf, scaleFor } from './render';
import type { InspectedConv, InspectedTensor } from './types';

export interface FilterStats {
  /** Output channel. */
  filter: number;
  min: number;
  max: number;
  mean: number;
  /** L2 norm of the filter's weights (its row of the GEMM's weight matrix). */
  norm: number;
  /** L2 norm of d(target)/d(weights) of that row; null without a target. */
  gradNorm: number | null;
  bias: number | null;
}

export function filterStats(conv: InspectedConv): FilterStats[] {
  const [outChannels, perGroup, kh, kw] = conv.weight.shape as [number, number, number, number];
  const k = perGroup * kh * kw;
  const norm = (t: Float64Array, o: number) => Math.sqrt(t.subarray(o * k, (o + 1) * k).reduce((s, v) => s + v * v, 0));
  return Array.from({ length: outChannels }, (_, o) => {
    const row = conv.weight.data.subarray(o * k, (o + 1) * k);
    const r = rangeOf(row);
    return {
      filter: o, min: r.min, max: r.max, mean: row.reduce((s, v) => s + v, 0) / k, norm: norm(conv.weight.data, o),
      gradNorm: conv.weight.grad ? norm(conv.weight.grad, o) : null, bias: conv.bias ? conv.bias[o]! : null,
    };
  });
}

/** Whether the filters are drawn in colour: each reads exactly the 3 channels of an RGB input. */
export function colourFilters(conv: InspectedConv, readsRgbImage: boolean): boolean {
  return readsRgbImage && conv.weight.shape[1] === 3 && conv.geometry.groups === 1;
}

/** One tile per filter, zoomed: (kh, kw) in colour, or (C/groups) grey tiles side by side. */
export function filterTiles(conv: InspectedConv, colour: boolean, zoom = 1): RgbaImage[] {
  const [outChannels, perGroup, kh, kw] = conv.weight.shape as [number, number, number, number];
  const w = conv.weight.data;
  const scale = scaleFor(rangeOf(w));
  const maxAbs = Math.max(1e-30, ...Array.from(w, Math.abs));
  const plane = kh * kw;
  return Array.from({ length: outChannels }, (_, o) => {
    const base = o * perGroup * plane;
    if (colour) {
      const data = new Uint8Array(plane * 4);
      for (let q = 0; q < plane; q++) {
        // Weights of the R, G, B planes as the three colour channels, 0 = mid grey.
        for (let c = 0; c < 3; c++) data[q * 4 + c] = Math.round(127.5 + 127.5 * (w[base + c * plane + q]! / maxAbs));
        data[q * 4 + 3] = 255;
      }
      return gridImage([{ width: kw, height: kh, data }], 1, zoom, 0);
    }
    const channels = Array.from({ length: perGroup }, (_, c) => planeImage(w, base + c * plane, kh, kw, scale));
    return gridImage(channels, perGroup, zoom, 1);
  });
}

/** Every filter of the layer in one image, a row per filter (zoomed `zoom` times). */
export function filterGrid(conv: InspectedConv, colour: boolean, zoom: number): RgbaImage {
  const tiles = filterTiles(conv, colour, zoom);
  return gridImage(tiles, colour ? Math.ceil(Math.sqrt(tiles.length)) : 1, 1, 3);
}

/** |d target / d input| of image n, the largest over its channels: (H, W). */
export function saliencyMap(input: InspectedTensor, n: number): Float64Array | null {
  if (!input.grad) return null;
  const [, channels, h, w] = input.shape as [number, number, number, number];
  const size = h * w;
  const out = new Float64Array(size);
  const base = n * channels * size;
  for (let c = 0; c < channels; c++) {
    for (let k = 0; k < size; k++) out[k] = Math.max(out[k]!, Math.abs(input.grad[base + c * size + k]!));
  }
  return out;
}

/** The saliency map as an image (sequential scale from 0 to its maximum). */
export function saliencyImage(map: Float64Array, h: number, w: number, zoom: number): RgbaImage {
  const scale = { kind: 'sequential' as const, lo: 0, hi: rangeOf(map).max };
  return gridImage([planeImage(map, 0, h, w, scale)], 1, zoom, 0);
}
