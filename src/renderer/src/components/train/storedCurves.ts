// A stored run's metrics log as the live series takes it (after a reload, before a resume). Pure,
// so the rules are unit-tested: the newest record of a step wins, steps come in order, and the
// seconds of a resumed run's later sessions continue where the earlier ones ended.
import type { EpochMetrics, StepMetrics } from '../../../../engine/train/types';
import type { MetricsRecord } from '../../../../shared/runFormat';

/** A stored step record as the live series takes it, with its wall time when it has one: runs
 *  from before `elapsed` existed stored seconds since the start in `time`. */
function storedStep(r: MetricsRecord): StepMetrics & { wall: number } {
  const m = r as unknown as StepMetrics & { time?: number };
  const seconds = typeof m.time === 'number' && m.time < 1e9;
  const elapsed = typeof m.elapsed === 'number' ? m.elapsed : seconds ? m.time! : NaN;
  const wall = typeof m.time === 'number' && !seconds ? m.time : NaN;
  return { ...m, elapsed, gradNorms: m.gradNorms ?? {}, timing: m.timing ?? 'coarse', wall };
}

/**
 * A stored metrics log as curves: the newest record of each step and epoch wins (a resumed run
 * logs the steps after its last checkpoint again), in order; `elapsed` restarts at 0 with each
 * session of a resumed run, so later sessions are shifted to continue where the earlier ended.
 */
export function storedCurves(records: readonly MetricsRecord[]): { steps: Array<StepMetrics & { wall: number }>; epochs: EpochMetrics[] } {
  const steps = new Map<number, StepMetrics & { wall: number }>();
  const epochs = new Map<number, EpochMetrics>();
  for (const r of records) {
    if (r.kind === 'step' && typeof r.step === 'number') steps.set(r.step, storedStep(r));
    else if (r.kind === 'epoch' && typeof r.epoch === 'number') epochs.set(r.epoch, r as unknown as EpochMetrics);
  }
  const ordered = [...steps.values()].sort((a, b) => a.step - b.step);
  let offset = 0;
  let previous = -Infinity;
  for (const m of ordered) {
    if (m.elapsed + offset < previous) offset = previous - m.elapsed;
    m.elapsed += offset;
    if (Number.isFinite(m.elapsed)) previous = m.elapsed;
  }
  return { steps: ordered, epochs: [...epochs.values()].sort((a, b) => a.epoch - b.epoch) };
}
