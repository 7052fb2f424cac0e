// Deterministic test data: a tiny LCG-free hash RNG (splitmix32), values rounded to f32 so the
// f32 GPU kernels and the f64 CPU twins see exactly the same inputs.

export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
}

export function randomArray(length: number, seed: number, scale = 1): Float64Array {
  const next = seeded(seed);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.fround((next() * 2 - 1) * scale);
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}
