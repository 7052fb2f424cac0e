// Where a sweep stands, as its panel shows it: runs done and left, and an estimate of the time
// left. Pure, so the rules are unit-tested.
//
// The estimate: runs differ (a bigger batch, more epochs), so it is rough by nature. A run's time
// is the median of the runs this page saw finish (their final evaluation included); before any
// has, the current run's elapsed time over the fraction of its steps done. The current run's own
// remainder is the larger of what its steps say and a typical run's time less its elapsed time.

/** Statuses after which a run of a sweep counts as done (a stopped or interrupted one resumes). */
export const SWEEP_RUN_ENDED: readonly string[] = ['completed', 'diverged', 'failed'];

export interface SweepSlot {
  index: number;
  params: Record<string, string | number | boolean>;
  runId: string | null;
  /** The run's status, or 'pending' before it has a run. */
  status: string;
}

export interface CurrentRun {
  index: number;
  /** Seconds since it started on this page. */
  elapsed: number;
  step: number;
  /** Steps this session will run (resumed: counted from step 0 of the run). */
  totalSteps: number;
  startStep: number;
}

export function countDone(slots: readonly SweepSlot[]): number {
  return slots.filter((s) => SWEEP_RUN_ENDED.includes(s.status)).length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Seconds left, or null while there is nothing to estimate from. */
export function sweepEta(slots: readonly SweepSlot[], finishedSeconds: readonly number[], current: CurrentRun | null): number | null {
  const left = slots.filter((s) => !SWEEP_RUN_ENDED.includes(s.status) && s.index !== current?.index).length;
  const span = current ? current.totalSteps - current.startStep : 0;
  const fraction = current && span > 0 ? Math.min(1, Math.max(0, (current.step - current.startStep) / span)) : 0;
  const fromSteps = current && fraction >= 0.05 ? (current.elapsed * (1 - fraction)) / fraction : null;
  if (finishedSeconds.length === 0) {
    if (fromSteps === null || !current) return left === 0 && current === null ? 0 : null;
    return fromSteps + left * (current.elapsed / fraction);
  }
  const perRun = median(finishedSeconds);
  // Steps miss the final evaluation; a finished run's time does not.
  const currentLeft = current ? Math.max(fromSteps ?? 0, perRun - current.elapsed, 0) : 0;
  return currentLeft + left * perRun;
}
