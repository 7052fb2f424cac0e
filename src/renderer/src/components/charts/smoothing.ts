// Exponential moving average for noisy training curves, the way TensorBoard does it.
//
// Why debiased: a plain EMA started at 0 (or at the first value) drags the first few dozen
// points towards the start; dividing by (1 - weight^n) removes that bias, so the smoothed curve
// begins where the data begins. Non-finite values (NaN loss, a missing validation point) are
// passed through as NaN and do not poison the average: the chart shows a gap there.

export type NumberArray = Float64Array | Float32Array | number[];

/** Returns a new Float64Array; `weight` 0 returns a plain copy, values are clamped to [0, 0.999]. */
export function emaSmooth(values: NumberArray, weight: number): Float64Array {
  const out = new Float64Array(values.length);
  const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), 0.999);
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    if (w === 0) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    count++;
    out[i] = last / (1 - Math.pow(w, count));
  }
  return out;
}

/**
 * EMA by distance along x instead of by point: a point `dx` after the previous one keeps
 * weight^(dx / unit) of the average, and counts with 1 - that. At a spacing of `unit` this is
 * exactly emaSmooth; curves logged at other densities (a fast and a slow run on a time axis, or
 * runs logged every step and every tenth step) are smoothed over the same stretch of x, which is
 * what makes one smoothing setting mean the same for every run of a chart. Debiased like
 * emaSmooth; non-finite points pass through as NaN.
 */
export function emaSmoothX(x: NumberArray, values: NumberArray, weight: number, unit: number): Float64Array {
  const out = new Float64Array(values.length);
  const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), 0.999);
  const u = unit > 0 && Number.isFinite(unit) ? unit : 1;
  let sum = 0;
  let norm = 0;
  let lastX: number | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const at = x[i]!;
    if (!Number.isFinite(v) || !Number.isFinite(at)) {
      out[i] = NaN;
      continue;
    }
    if (w === 0) {
      out[i] = v;
      continue;
    }
    // The first point counts as if one unit after an empty past, as in emaSmooth.
    const keep = lastX === null ? w : Math.pow(w, Math.max(0, at - lastX) / u);
    sum = sum * keep + (1 - keep) * v;
    norm = norm * keep + (1 - keep);
    lastX = at;
    out[i] = norm > 0 ? sum / norm : v;
  }
  return out;
}

/** One spacing for every series of a chart: the median gap between consecutive finite x. */
export function commonXUnit(xs: ReadonlyArray<NumberArray>): number {
  const gaps: number[] = [];
  for (const x of xs) {
    for (let i = 1; i < x.length; i++) {
      const d = x[i]! - x[i - 1]!;
      if (Number.isFinite(d) && d > 0) gaps.push(d);
    }
  }
  if (gaps.length === 0) return 1;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}
