// Runs a sweep's runs one after another on one backend, each a normal training session (tagged
// sweep:<id>, config.sweep = {id, index, params}). Where it stands is read from the runs: a run
// that ended (completed, diverged, failed) is done; a stopped or interrupted one is resumed from its
// last checkpoint, or restarted in the same folder when it had none, so a killed sweep finishes
// without recording any run twice. A diverged or failed run is recorded and the sweep goes on.

import type { Backend } from '../../backend';
import type { ModelSpec } from '../../model/spec';
import type { SweepRecord } from '../../../shared/sweepFormat';
import { sweepTag } from '../../../shared/runRecord';
import type { TrainControl } from '../control';
import { planResume, type ResumePlan } from '../resume';
import type { RunReader, RunSink, SessionStatus } from '../runSink';
import { runTrainingSession, type SessionDataset, type SessionEvents } from '../session';
import type { NamedTensor, TrainConfig } from '../types';
import { checkModelFitsData } from '../validate';
import { applySweepParams, describeParams } from './overrides';

export interface SweepRunState {
  id: string;
  status: string;
}

export interface SweepHost<B> {
  backend: Backend<B>;
  data: SessionDataset;
  /** A fresh sink for each run. */
  newSink(): RunSink;
  reader: RunReader;
  /** The newest run of each index of this sweep. */
  runsOf(sweepId: string): Promise<Map<number, SweepRunState>>;
  resolveModel(text: string): ModelSpec;
  versions: Record<string, string>;
  init?: NamedTensor[];
  control?: TrainControl;
  /** Per run: when it starts and ends, and the session's own events. */
  onRunStart?(r: { index: number; total: number; params: SweepRecord['runs'][number]['params']; resumed: boolean }): void;
  onRunEnd?(r: { index: number; runId: string; status: SessionStatus; valAccuracy: number; error?: string }): void;
  sessionEvents?: SessionEvents<B>;
}

export interface SweepOutcome {
  /** One entry per index, in order: its run (if any) and status. */
  runs: Array<{ index: number; params: SweepRecord['runs'][number]['params']; runId: string | null; status: string }>;
  /** True when every run of the sweep has ended. */
  finished: boolean;
  /** True when the user stopped it (the current run is recorded as stopped). */
  stopped: boolean;
}

// A stopped run is continued by --resume (the user stopped the sweep, not judged the run).
const ENDED = new Set(['completed', 'diverged', 'failed']);

/** Every run's TrainConfig, checked against the data before anything runs. */
export function sweepConfigs<B>(sweep: SweepRecord, host: Pick<SweepHost<B>, 'data' | 'resolveModel'>): TrainConfig[] {
  const base = sweep.base.config as unknown as TrainConfig;
  return sweep.runs.map((r) => {
    const config = applySweepParams(base, r.params, host.resolveModel);
    try {
      checkModelFitsData(config.spec, { name: host.data.name, channels: host.data.channels, height: host.data.height, width: host.data.width, classes: host.data.classes.length });
    } catch (e) {
      throw new Error(`run ${r.index + 1} of the sweep (${describeParams(r.params)}): ${(e as Error).message}`, { cause: e });
    }
    if (config.earlyStop !== undefined && host.data.valIndices.length === 0) {
      throw new Error(`run ${r.index + 1} of the sweep (${describeParams(r.params)}): early stopping needs a validation split`);
    }
    return config;
  });
}

export async function runSweep<B>(sweep: SweepRecord, host: SweepHost<B>, opts: { maxRuns?: number } = {}): Promise<SweepOutcome> {
  const configs = sweepConfigs(sweep, host);
  const existing = await host.runsOf(sweep.id);
  for (const [index, run] of existing) {
    if (run.status === 'running') throw new Error(`run ${index + 1} of sweep ${sweep.id} (${run.id}) is being trained right now; stop that before resuming the sweep`);
  }
  const outcome: SweepOutcome['runs'] = sweep.runs.map((r) => ({ index: r.index, params: r.params, runId: existing.get(r.index)?.id ?? null, status: existing.get(r.index)?.status ?? 'pending' }));
  let started = 0;
  let stopped = false;
  for (const r of sweep.runs) {
    const slot = outcome[r.index]!;
    if (ENDED.has(slot.status)) continue;
    if (opts.maxRuns !== undefined && started >= opts.maxRuns) break;
    if (host.control?.stopRequested) {
      stopped = true;
      break;
    }
    started++;
    const resume = slot.runId ? await resumeOrRestart(host.reader, slot.runId, configs[r.index]!, host.data.id) : undefined;
    host.onRunStart?.({ index: r.index, total: sweep.runs.length, params: r.params, resumed: resume !== undefined });
    try {
      const result = await runTrainingSession({
        backend: host.backend, data: host.data, spec: configs[r.index]!.spec, config: configs[r.index]!, sink: host.newSink(), control: host.control,
        ...(resume ? { resume } : host.init ? { init: host.init } : {}),
        record: {
          name: `${sweep.name} #${r.index + 1}: ${describeParams(r.params)}`, dataRef: sweep.base.data, convAlgorithm: sweep.base.convAlgorithm,
          versions: host.versions, tags: [sweepTag(sweep.id)], sweep: { id: sweep.id, index: r.index, params: r.params },
        },
        ...(host.sessionEvents ? { events: host.sessionEvents } : {}),
      });
      Object.assign(slot, { runId: result.runId, status: result.status });
      host.onRunEnd?.({ index: r.index, runId: result.runId, status: result.status, valAccuracy: result.summary.valAccuracy });
      if (result.status === 'stopped') {
        stopped = true;
        break;
      }
    } catch (e) {
      // The session recorded the run as failed (when it got that far); the sweep goes on.
      const runs = await host.runsOf(sweep.id);
      Object.assign(slot, { runId: runs.get(r.index)?.id ?? slot.runId, status: 'failed' });
      host.onRunEnd?.({ index: r.index, runId: slot.runId ?? '', status: 'failed', valAccuracy: NaN, error: (e as Error).message });
      if (host.control?.abortedWith) throw e; // the device is gone: nothing else can run
    }
  }
  return { runs: outcome, finished: outcome.every((s) => ENDED.has(s.status)), stopped };
}

/** An interrupted run continues from its checkpoint; one without a checkpoint starts over in
 *  the same folder, so the sweep still has one run per index. */
async function resumeOrRestart(reader: RunReader, runId: string, config: TrainConfig, datasetId: string): Promise<ResumePlan> {
  try {
    return await planResume(reader, runId);
  } catch {
    return { runId, datasetId, config, model: [], optimizer: [], epoch: 0, step: 0, best: null };
  }
}
