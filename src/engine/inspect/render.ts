// Feature maps, filters and saliency as RGBA pixels: the one drawing code behind `convlab inspect
// --out` (written as PNG) and the app's Inspect page (put on a canvas), so both show the same
// colours for the same numbers.
//
// Colour scales: data with both signs (a conv's output, a gradient, a filter) on a diverging
// blue–white–red scale symmetric around 0, so 0 is always white and a sign flip is visible;
// data of one sign (a ReLU's output, |gradient|) on a sequential dark-to-light scale over its
// range. A scale is shared by every map of a layer or each map has its own.

export interface ValueRange {
  min: number;
  max: number;
}

export interface ColorScale {
  kind: 'sequential' | 'diverging';
  /** Sequential: the value drawn darkest and lightest. Diverging: ±hi around 0. */
  lo: number;
  hi: number;
}

export interface RgbaImage {
  width: number;
  height: number;
  /** width·height·4 bytes, row-major. */
  data: Uint8Array;
}

/** Min and max over data[start, end), NaN ignored; {0, 0} when there is nothing finite. */
export function rangeOf(data: ArrayLike<number>, start = 0, end = data.length): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return Number.isFinite(min) && Number.isFinite(max) ? { min, max } : { min: 0, max: 0 };
}

export function scaleFor(r: ValueRange): ColorScale {
  if (r.min < 0 && r.max > 0) return { kind: 'diverging', lo: 0, hi: Math.max(-r.min, r.max) };
  return { kind: 'sequential', lo: r.min, hi: r.max };
}

/** One scale over all of them (a layer's shared scale). */
export function sharedScale(ranges: readonly ValueRange[]): ColorScale {
  return scaleFor({ min: Math.min(...ranges.map((r) => r.min)), max: Math.max(...ranges.map((r) => r.max)) });
}

const SEQUENTIAL: ReadonlyArray<readonly [number, number, number]> = [
  [12, 7, 36], [87, 16, 110], [188, 55, 84], [249, 142, 9], [252, 255, 164],
];
const NEGATIVE: readonly [number, number, number] = [49, 84, 186];
const ZERO: readonly [number, number, number] = [245, 245, 245];
const POSITIVE: readonly [number, number, number] = [190, 30, 45];

const mix = (a: readonly number[], b: readonly number[], t: number): [number, number, number] => [
  Math.round(a[0]! + (b[0]! - a[0]!) * t), Math.round(a[1]! + (b[1]! - a[1]!) * t), Math.round(a[2]! + (b[2]! - a[2]!) * t),
];

/** The colour of v on the scale; NaN is drawn magenta so it cannot pass for a number. */
export function colorAt(s: ColorScale, v: number): [number, number, number] {
  if (Number.isNaN(v)) return [255, 0, 255];
  if (s.kind === 'diverging') {
    const t = s.hi > 0 ? Math.max(-1, Math.min(1, v / s.hi)) : 0;
    return t < 0 ? mix(ZERO, NEGATIVE, -t) : mix(ZERO, POSITIVE, t);
  }
  const span = s.hi - s.lo;
  const t = span > 0 ? Math.max(0, Math.min(1, (v - s.lo) / span)) : 0;
  const x = t * (SEQUENTIAL.length - 1);
  const k = Math.min(SEQUENTIAL.length - 2, Math.floor(x));
  return mix(SEQUENTIAL[k]!, SEQUENTIAL[k + 1]!, x - k);
}

/** One h×w plane of data (starting at `offset`) as an image. */
export function planeImage(data: ArrayLike<number>, offset: number, h: number, w: number, scale: ColorScale): RgbaImage {
  const out = new Uint8Array(h * w * 4);
  for (let k = 0; k < h * w; k++) {
    const [r, g, b] = colorAt(scale, data[offset + k]!);
    out.set([r, g, b, 255], k * 4);
  }
  return { width: w, height: h, data: out };
}

/** Images laid out in a grid (row-major, `columns` per row), each enlarged `zoom` times
 *  (nearest neighbour), `gap` pixels apart on a neutral background. */
export function gridImage(tiles: readonly RgbaImage[], columns: number, zoom = 1, gap = 1): RgbaImage {
  if (tiles.length === 0) return { width: 0, height: 0, data: new Uint8Array(0) };
  const tw = Math.max(...tiles.map((t) => t.width)) * zoom;
  const th = Math.max(...tiles.map((t) => t.height)) * zoom;
  const cols = Math.max(1, Math.min(columns, tiles.length));
  const rows = Math.ceil(tiles.length / cols);
  const width = cols * tw + (cols - 1) * gap;
  const height = rows * th + (rows - 1) * gap;
  const data = new Uint8Array(width * height * 4).fill(128);
  tiles.forEach((t, n) => {
    const x0 = (n % cols) * (tw + gap);
    const y0 = Math.floor(n / cols) * (th + gap);
    for (let y = 0; y < t.height * zoom; y++) {
      for (let x = 0; x < t.width * zoom; x++) {
        const from = (Math.floor(y / zoom) * t.width + Math.floor(x / zoom)) * 4;
        data.set(t.data.subarray(from, from + 4), ((y0 + y) * width + x0 + x) * 4);
      }
    }
  });
  return { width, height, data };
}

/** Every channel of one image's (C, H, W) map, a scale shared by the layer or one per map. */
export function featureMapGrid(data: Float64Array, channels: number, h: number, w: number, shared: boolean, zoom: number): RgbaImage {
  const size = h * w;
  const ranges = Array.from({ length: channels }, (_, c) => rangeOf(data, c * size, (c + 1) * size));
  const layerScale = sharedScale(ranges);
  const tiles = ranges.map((r, c) => planeImage(data, c * size, h, w, shared ? layerScale : scaleFor(r)));
  return gridImage(tiles, Math.ceil(Math.sqrt(channels)), zoom);
}

/** Enough zoom to make a map of this size about `target` pixels across (1 for large maps). */
export const zoomFor = (h: number, w: number, target = 56): number => Math.max(1, Math.floor(target / Math.max(h, w)));
