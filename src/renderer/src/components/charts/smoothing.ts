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
