// runs.compare: several runs side by side, as one table the charts can draw directly.
//
// Three alignments: by step (step records), by epoch (epoch records), or by wall time (step records,
// x = seconds since the run's createdAt, so runs started on different days still overlay). A run
// that was resumed may log a step twice; the later record wins, as it describes the run the user
// kept. Kernel timings and the config diff answer "why is this run different?".
import type { CompareAlign, ConfigLeaf, RunComparison } from '../../../shared/labApi';
import type { MetricsRecord, RunManifest } from '../../../shared/runFormat';
import { compareNames, numericLeaves } from './metricColumns';

export interface RunForComparison {
  manifest: RunManifest;
  records: MetricsRecord[];
}

export function compareRuns(runs: RunForComparison[], align: CompareAlign): RunComparison {
  if (runs.length === 0) throw new Error('Choose at least one run to compare');
  const perRun = runs.map((r) => rowsByX(r, align));
  const x = [...new Set(perRun.flatMap((rows) => [...rows.keys()]))].sort((a, b) => a - b);
  const metricSet = new Set<string>();
  for (const rows of perRun) for (const row of rows.values()) for (const name of row.keys()) metricSet.add(name);
  const metrics = [...metricSet].sort(compareNames);

  const values = perRun.map((rows) => {
    const table: Record<string, Array<number | null>> = {};
    for (const name of metrics) table[name] = x.map((at) => rows.get(at)?.get(name) ?? null);
    return table;
  });

  return {
    align,
    runs: runs.map(({ manifest: m }) => ({ id: m.id, name: m.name, status: m.status, datasetId: m.dataset.id })),
    x,
    metrics,
    values,
    configDiff: configDiff(runs.map((r) => r.manifest)),
    kernelTimes: kernelTimeSummary(runs.map((r) => r.records)),
  };
}

const SKIP_FOR_COMPARE = new Set(['kind', 'step', 'epoch', 'time', 'elapsed', 'kernelTimes']);

function rowsByX({ manifest, records }: RunForComparison, align: CompareAlign): Map<number, Map<string, number | null>> {
  const rows = new Map<number, Map<string, number | null>>();
  const start = Date.parse(manifest.createdAt);
  for (const record of records) {
    let at: number | undefined;
    if (align === 'epoch') at = record.kind === 'epoch' ? record.epoch : undefined;
    else if (record.kind === 'step') {
      at = align === 'step' ? record.step : secondsSinceStart(record.time, start);
    }
    if (at === undefined || !Number.isFinite(at)) continue;
    rows.set(at, numericLeaves(record, { skip: SKIP_FOR_COMPARE }));
  }
  return rows;
}

/** Every leaf path of what defines a run, with the paths whose values are not all equal. */
export function configDiff(manifests: RunManifest[]): RunComparison['configDiff'] {
  const flats = manifests.map((m) =>
    flattenLeaves({ config: m.config, modelSpec: m.modelSpec, seed: m.seed, dataset: m.dataset }),
  );
  const paths = [...new Set(flats.flatMap((f) => [...f.keys()]))].sort(compareNames);
  const diff: RunComparison['configDiff'] = [];
  for (const path of paths) {
    const missing = flats.map((f) => !f.has(path));
    const values = flats.map((f) => f.get(path) ?? null);
    const keys = flats.map((f) => (f.has(path) ? JSON.stringify(f.get(path)) : undefined));
    if (new Set(keys).size > 1) diff.push({ path, values, missing });
  }
  return diff;
}

function flattenLeaves(value: unknown): Map<string, ConfigLeaf> {
  const out = new Map<string, ConfigLeaf>();
  const walk = (v: unknown, path: string): void => {
    if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : Object.entries(v);
      // An empty object or list is still a value worth comparing ({} vs {momentum: 0.9}).
      if (entries.length === 0) out.set(path, Array.isArray(v) ? '[]' : '{}');
      for (const [key, child] of entries) walk(child, path === '' ? key : `${path}.${key}`);
    } else if (v === undefined) {
      // absent, not a value
    } else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) {
      out.set(path, v);
    } else {
      out.set(path, String(v));
    }
  };
  walk(value, '');
  return out;
}

/** Mean ms per kernel label per run over step records that carry kernelTimes; null where a run has none. */
export function kernelTimeSummary(runs: MetricsRecord[][]): RunComparison['kernelTimes'] {
  const sums = runs.map(() => new Map<string, { total: number; count: number }>());
  const steps = runs.map(() => 0);
  runs.forEach((records, r) => {
    for (const record of records) {
      const times = record.kind === 'step' ? record.kernelTimes : undefined;
      if (times === null || typeof times !== 'object' || Array.isArray(times)) continue;
      steps[r]++;
      for (const [label, ms] of Object.entries(times as Record<string, unknown>)) {
        if (typeof ms !== 'number' || !Number.isFinite(ms)) continue;
        const acc = sums[r].get(label) ?? { total: 0, count: 0 };
        acc.total += ms;
        acc.count++;
        sums[r].set(label, acc);
      }
    }
  });
  const labels = [...new Set(sums.flatMap((m) => [...m.keys()]))].sort(compareNames);
  const meanMs = sums.map((m) => labels.map((label) => {
    const acc = m.get(label);
    return acc ? acc.total / acc.count : null;
  }));
  return { labels, meanMs, steps };
}

/**
 * A step record's `time` as seconds since the run's creation, rounded to the millisecond so float
 * noise does not split one instant into two table rows. `time` is milliseconds since the Unix
 * epoch; runs written before that was so stored seconds since the start there, told apart by
 * size (no run lasts 30 years).
 */
function secondsSinceStart(time: number | undefined, startMs: number): number | undefined {
  if (time === undefined) return undefined;
  if (time < 1e12) return Math.round(time * 1000) / 1000;
  return Math.round(time - startMs) / 1000;
}
