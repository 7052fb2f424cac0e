// Turning free-form metrics records into named numeric columns, the one view both runs.compare and
// the CSV export need. Records are loose objects (docs/formats/run.md): the training side may nest
// values, e.g. gradNorms: {'0.weight': 0.12}, so nested objects become dotted paths.

/** Fields that place a record (the axes) rather than measure something. */
export const AXIS_FIELDS = ['step', 'epoch', 'time'] as const;
const SKIPPED_TOP_LEVEL = new Set<string>(['kind', ...AXIS_FIELDS]);

/** Depth limit: metrics are shallow; anything deeper is almost certainly not a chartable number. */
const MAX_DEPTH = 4;

/**
 * Every numeric leaf of record as path → value. `null` leaves are kept as null (a diverged loss is
 * written as null, since JSON has no NaN) so a column exists even if a run only ever diverged.
 * Arrays and strings are not metrics and are left out.
 */
export function numericLeaves(record: Record<string, unknown>, opts: { skip?: ReadonlySet<string> } = {}): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const skip = opts.skip ?? SKIPPED_TOP_LEVEL;
  const walk = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'number') out.set(path, Number.isFinite(value) ? value : null);
    else if (value === null) out.set(path, null);
    else if (typeof value === 'object' && !Array.isArray(value) && depth < MAX_DEPTH) {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) walk(child, `${path}.${key}`, depth + 1);
    }
  };
  for (const [key, value] of Object.entries(record)) {
    if (!skip.has(key)) walk(value, key, 1);
  }
  return out;
}

/** Code-point order: the same on every machine and locale, so column order is stable. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
