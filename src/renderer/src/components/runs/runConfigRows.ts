// A run's recorded configuration as rows to read: nested objects become dotted paths
// ('optimizer.momentum'), arrays and strings are shown as they are. Pure, unit-tested.

export interface ConfigRow {
  path: string;
  value: string;
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '—';
  return JSON.stringify(value);
}

/** Leaves of `value` as path → text, in the object's own order; `skip` drops top-level keys. */
export function configRows(value: unknown, skip: readonly string[] = []): ConfigRow[] {
  const rows: ConfigRow[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 6) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) rows.push({ path, value: '{}' });
      for (const [key, child] of entries) {
        if (depth === 0 && skip.includes(key)) continue;
        walk(child, path ? `${path}.${key}` : key, depth + 1);
      }
    } else rows.push({ path: path || '(value)', value: show(v) });
  };
  walk(value, '', 0);
  return rows;
}
