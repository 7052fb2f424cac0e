// Continuing a stored run: its own settings, its newest weights and optimizer state, its counters
// and its best validation result so far, read through a RunReader (the run store or the LabApi).

import { BEST_CHECKPOINT, LAST_CHECKPOINT, optimizerCheckpoint } from '../../shared/runRecord';
import type { RunReader } from './runSink';
import type { NamedTensor, TrainConfig } from './types';

export interface ResumePlan {
  runId: string;
  /** The stored dataset the run trained on (its id, or a builtin reference). */
  datasetId: string;
  config: TrainConfig;
  /** What the manifest's config recorded besides the TrainConfig. */
  convAlgorithm?: string;
  model: NamedTensor[];
  optimizer: NamedTensor[];
  /** The run's `best` weights so far, when it has them (the final evaluation needs them if the
   *  resumed epochs do not beat them). */
  bestModel?: NamedTensor[];
  epoch: number;
  step: number;
  best: { accuracy: number; loss: number; epoch: number } | null;
}

export async function planResume(reader: RunReader, id: string): Promise<ResumePlan> {
  const m = await reader.get(id);
  if (m.status === 'running') throw new Error(`run ${id} is still being trained; stop that training before resuming it`);
  const recorded = (m.config ?? {}) as { train?: TrainConfig; convAlgorithm?: unknown };
  if (!recorded.train || typeof recorded.train !== 'object' || !recorded.train.spec) {
    throw new Error(`run ${id} does not record its training config, so it cannot be resumed`);
  }
  const summary = m.summary ?? {};
  // Runs since the one-session format keep `last` + `last-optimizer`; older ones named their
  // newest checkpoint in summary.lastCheckpoint.
  const have = new Set((await reader.listCheckpoints(id)).map((c) => c.name));
  const named = typeof summary.lastCheckpoint === 'string' ? summary.lastCheckpoint : null;
  const name = have.has(LAST_CHECKPOINT) ? LAST_CHECKPOINT : named && have.has(named) ? named : null;
  if (name === null || !have.has(optimizerCheckpoint(name))) {
    throw new Error(`run ${id} has no checkpoint to resume from (it stopped before the first checkpoint was saved); start a new run instead`);
  }
  const model = await reader.readCheckpoint(id, name);
  const optimizer = await reader.readCheckpoint(id, optimizerCheckpoint(name));
  const counter = (key: 'epoch' | 'step'): number => {
    const fromFile = Number(model.metadata[key]);
    if (Number.isInteger(fromFile) && fromFile >= 0) return fromFile;
    const fromSummary = Number(summary[key]);
    return Number.isInteger(fromSummary) && fromSummary >= 0 ? fromSummary : 0;
  };
  const bestAccuracy = Number(summary.bestValAccuracy);
  const bestModel = have.has(BEST_CHECKPOINT) ? (await reader.readCheckpoint(id, BEST_CHECKPOINT)).tensors : undefined;
  return {
    runId: id,
    datasetId: m.dataset.id,
    config: recorded.train,
    ...(typeof recorded.convAlgorithm === 'string' ? { convAlgorithm: recorded.convAlgorithm } : {}),
    model: model.tensors,
    optimizer: optimizer.tensors,
    ...(bestModel ? { bestModel } : {}),
    epoch: counter('epoch'),
    step: counter('step'),
    best: Number.isFinite(bestAccuracy)
      ? { accuracy: bestAccuracy, loss: Number(summary.bestValLoss ?? NaN), epoch: Number(summary.bestEpoch ?? 0) }
      : null,
  };
}
