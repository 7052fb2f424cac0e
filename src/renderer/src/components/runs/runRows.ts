// Pure shaping of runs for the table and the comparison panel, kept apart from the components
// so the rules (which number is "best val accuracy", how a run's duration is measured, how a
// comparison table becomes chart series) are unit-tested.

import type { CompareAlign, ConfigLeaf, RunComparison } from '../../../../shared/labApi';
import type { RunManifest } from '../../../../shared/runFormat';
import type { LineSeries } from '../charts/lineOptions';

/** Compare's x axis: the host's alignments, and wall-clock time ('time' plus each run's start). */
export type CompareXAxis = CompareAlign | 'wall';

export interface RunRow {
  id: string;
  name: string;
  dataset: string;
  model: string;
  createdAt: string;
  bestValAccuracy: number | null;
  durationSeconds: number | null;
  status: string;
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Best val accuracy: the summary's `bestValAccuracy` when the writer kept one, else its last
 * `valAccuracy` (what `convlab train` records). Duration: creation to end, or to the last
 * heartbeat for a run still going (or one that died without finishing).
 */
export function runRow(m: RunManifest): RunRow {
  const summary = m.summary as Record<string, unknown>;
  const end = m.endedAt ?? m.heartbeatAt ?? m.updatedAt;
  const seconds = (Date.parse(end) - Date.parse(m.createdAt)) / 1000;
  return {
    id: m.id,
    name: m.name,
    dataset: m.dataset.name ?? m.dataset.id,
    model: m.modelSpec,
    createdAt: m.createdAt,
    bestValAccuracy: numberOrNull(summary.bestValAccuracy) ?? numberOrNull(summary.valAccuracy),
    durationSeconds: Number.isFinite(seconds) && seconds >= 0 ? seconds : null,
    status: m.status,
  };
}

/** The x axis name with its unit, per alignment (the chart's tick rules follow from it). */
export function alignLabel(align: CompareXAxis): string {
  return align === 'step' ? 'step' : align === 'epoch' ? 'epoch' : align === 'wall' ? 'wall-clock time' : 'time since start (s)';
}

/**
 * Metrics worth overlaying for an alignment. Step records carry the batch loss and accuracy;
 * epoch records carry train/validation loss and accuracy (compareRuns puts each kind in its own
 * alignment), so validation curves exist only by epoch.
 */
export function compareMetrics(align: CompareXAxis): { loss: string[]; accuracy: string[] } {
  return align === 'epoch'
    ? { loss: ['trainLoss', 'valLoss'], accuracy: ['valAccuracy', 'trainAccuracy'] }
    : { loss: ['loss'], accuracy: ['accuracy'] };
}

const METRIC_NAMES: Record<string, string> = {
  loss: 'loss',
  trainLoss: 'train loss',
  valLoss: 'val loss',
  accuracy: 'batch accuracy',
  trainAccuracy: 'train accuracy',
  valAccuracy: 'val accuracy',
};

export interface ComparisonSeriesOptions {
  /** Each run's legend name (default: its name). */
  labels?: readonly string[];
  /** Each run's colour, the same for all its metrics (the second metric is dashed). */
  colors?: readonly string[];
  /** Wall clock: each run's start (ms since the epoch), added to its seconds since start. */
  wallStart?: readonly number[];
}

/**
 * One line per run and metric, holding only the x positions where that run has a value, so a
 * run's line is continuous even where other runs logged at x values it did not.
 */
export function comparisonSeries(c: RunComparison, metrics: readonly string[], opts: ComparisonSeriesOptions = {}): LineSeries[] {
  const out: LineSeries[] = [];
  c.runs.forEach((run, r) => {
    metrics.forEach((metric, m) => {
      const column = c.values[r]?.[metric];
      if (!column) return;
      const xs: number[] = [];
      const ys: number[] = [];
      const start = opts.wallStart?.[r];
      column.forEach((v, i) => {
        if (v !== null && Number.isFinite(v)) {
          xs.push(start !== undefined ? start + c.x[i]! * 1000 : c.x[i]!);
          ys.push(v);
        }
      });
      if (xs.length === 0) return;
      const name = opts.labels?.[r] ?? run.name;
      const label = metrics.length > 1 ? `${name} · ${METRIC_NAMES[metric] ?? metric}` : name;
      const color = opts.colors?.[r];
      out.push({ name: label, x: Float64Array.from(xs), y: Float64Array.from(ys), dashed: m > 0, ...(color ? { color } : {}) });
    });
  });
  return out;
}

/** A config value for the diff table: strings as they are, the rest as JSON, missing as a dash. */
export function formatLeaf(value: ConfigLeaf, missing: boolean): string {
  if (missing) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Kernel labels sorted by the largest mean time in any run, slowest first; null means "not run". */
export function kernelRows(c: RunComparison): Array<{ label: string; ms: Array<number | null> }> {
  const rows = c.kernelTimes.labels.map((label, i) => ({ label, ms: c.kernelTimes.meanMs.map((perRun) => perRun[i] ?? null) }));
  const peak = (ms: Array<number | null>) => Math.max(0, ...ms.map((v) => v ?? 0));
  return rows.sort((a, b) => peak(b.ms) - peak(a.ms));
}
