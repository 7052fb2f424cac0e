// A stored run's metrics log as chart series, for the run page: loss, accuracy (percent), learning
// rate, per-parameter gradient norms and kernel times, all by step. Pure (no Vue, no ECharts) so
// the rules are unit-tested.
//
// Rules that matter:
// - a resumed run logs the steps after its last checkpoint again: the later record of a step wins
//   (what the run is now), and series are sorted by step;
// - epoch records sit at the step their epoch ended on, so validation overlays the step curves;
// - accuracy is shown in percent everywhere, like the status lines and tables;
// - kernel labels are 'layer|phase|kernel'; a step's time of one layer and phase is the sum of its
//   kernels, and the bars are the mean over the steps that carried timings.
import type { MetricsRecord } from '../../../../shared/runFormat';
import type { BarStack } from '../charts/barOptions';
import type { LineSeries } from '../charts/lineOptions';

export interface RunSeries {
  loss: LineSeries[];
  accuracy: LineSeries[];
  lr: LineSeries[];
  gradNorms: LineSeries[];
  kernelTrend: LineSeries[];
  kernelBars: { layers: string[]; stacks: BarStack[] };
  /** 'coarse' when the adapter had no timestamp queries (one bar for the whole step). */
  timing: 'timestamp' | 'coarse' | null;
  steps: number;
  epochs: number;
}

/** The order of a training step; phases not listed come after, alphabetically. */
const PHASE_ORDER = ['data', 'forward', 'loss', 'grad-input', 'grad-weight', 'grad-bias', 'optimizer', 'metrics'];

type Rec = MetricsRecord & Record<string, unknown>;

function num(v: unknown): number {
  return typeof v === 'number' ? v : v === null ? NaN : NaN;
}

/** The newest record of each step (or epoch), in ascending order of it. */
export function latestBy(records: readonly MetricsRecord[], kind: 'step' | 'epoch'): Rec[] {
  const byKey = new Map<number, Rec>();
  for (const r of records) {
    const key = kind === 'step' ? r.step : r.epoch;
    if (r.kind === kind && typeof key === 'number') byKey.set(key, r as Rec);
  }
  return [...byKey.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}

function line(name: string, rows: readonly Rec[], x: (r: Rec) => number, y: (r: Rec) => number, dashed = false): LineSeries {
  return { name, x: Float64Array.from(rows, x), y: Float64Array.from(rows, y), dashed };
}

function phaseRank(phase: string): number {
  const i = PHASE_ORDER.indexOf(phase);
  return i === -1 ? PHASE_ORDER.length : i;
}

export function runSeries(records: readonly MetricsRecord[]): RunSeries {
  const steps = latestBy(records, 'step');
  const epochs = latestBy(records, 'epoch');
  const atStep = (r: Rec) => num(r.step);
  const percent = (key: string) => (r: Rec) => 100 * num(r[key]);

  const gradNames: string[] = [];
  for (const s of steps) for (const name of Object.keys((s.gradNorms as Record<string, number> | undefined) ?? {})) if (!gradNames.includes(name)) gradNames.push(name);

  // Kernel times: per step, phase totals (the trend); per layer|phase, the sum over steps (the bars).
  const timed = steps.filter((s) => s.kernelTimes && typeof s.kernelTimes === 'object');
  const layers: string[] = [];
  const phases = new Set<string>();
  const sums = new Map<string, number>();
  const trend = new Map<string, Float64Array>();
  timed.forEach((s, i) => {
    for (const [label, ms] of Object.entries(s.kernelTimes as Record<string, number>)) {
      if (typeof ms !== 'number' || !Number.isFinite(ms)) continue;
      const [layer = label, phase = 'other'] = label.split('|');
      if (!layers.includes(layer)) layers.push(layer);
      phases.add(phase);
      sums.set(`${layer}|${phase}`, (sums.get(`${layer}|${phase}`) ?? 0) + ms);
      const row = trend.get(phase) ?? new Float64Array(timed.length);
      row[i] += ms;
      trend.set(phase, row);
    }
  });
  const phaseList = [...phases].sort((a, b) => phaseRank(a) - phaseRank(b) || (a < b ? -1 : 1));
  const timedSteps = Float64Array.from(timed, atStep);

  return {
    loss: [
      line('train loss (batch)', steps, atStep, (r) => num(r.loss)),
      line('train loss (epoch)', epochs, atStep, (r) => num(r.trainLoss), true),
      line('validation loss', epochs, atStep, (r) => num(r.valLoss), true),
    ],
    accuracy: [
      line('train accuracy (batch)', steps, atStep, percent('accuracy')),
      line('train accuracy (epoch)', epochs, atStep, percent('trainAccuracy'), true),
      line('validation accuracy', epochs, atStep, percent('valAccuracy'), true),
    ],
    lr: [line('learning rate', steps, atStep, (r) => num(r.lr))],
    gradNorms: gradNames.map((name) => line(name, steps, atStep, (r) => num((r.gradNorms as Record<string, number>)[name]), name.endsWith('.bias'))),
    kernelTrend: phaseList.map((phase) => ({ name: phase, x: timedSteps, y: trend.get(phase)! })),
    kernelBars: {
      layers,
      stacks: phaseList.map((phase) => ({
        name: phase,
        values: layers.map((layer) => {
          const sum = sums.get(`${layer}|${phase}`);
          return sum === undefined ? null : sum / timed.length;
        }),
      })),
    },
    timing: timed.length === 0 ? null : timed.some((s) => s.timing === 'timestamp') ? 'timestamp' : 'coarse',
    steps: steps.length,
    epochs: epochs.length,
  };
}
