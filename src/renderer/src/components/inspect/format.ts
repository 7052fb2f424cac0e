// Numbers on the Inspect page: enough digits to compare a traced sum with the value clicked
// (float32 has ~7 significant digits), short where they only label a range.

/** Six significant digits; exponent form for very large or small magnitudes. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-4 ? v.toExponential(5) : Number(v.toPrecision(6)).toString();
}

/** A range as the strips print it: 3 significant digits. */
export function formatRange(min: number, max: number): string {
  const f = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : Number(v.toPrecision(3)).toString());
  return `${f(min)} … ${f(max)}`;
}

/** CSS pixels per map pixel so a map is about `target` pixels across (at least 1). */
export function displayScale(h: number, w: number, target: number): number {
  return Math.max(1, Math.floor(target / Math.max(h, w)));
}
