// Turns what the trainer reports into what a run records: stamped metric records, the summary,
// the checkpoints `epoch-N`, `last` (+ its optimizer state, for resuming) and `best`, and early
// stopping's patience. The session owns one; a RunSink only stores what it is given.

import {
  BEST_CHECKPOINT,
  LAST_CHECKPOINT,
  type Preprocessing,
  type RunSummary,
  epochCheckpoint,
  isBetterValidation,
  modelCheckpointMetadata,
  optimizerCheckpoint,
  optimizerCheckpointMetadata,
} from '../../shared/runRecord';
import type { RunSink } from './runSink';
import type { TrainerCheckpoint } from './trainer';
import type { EpochMetrics, NamedTensor, StepMetrics, TrainSummary } from './types';

export interface BestValidation {
  accuracy: number;
  loss: number;
  epoch: number;
}

export class RunRecorder {
  /** The step of the newest metrics record (what a failed run's summary says it reached). */
  lastStep = 0;
  /** The weights saved as `best` in this session, for the final evaluation. */
  bestWeights: NamedTensor[] | null = null;
  private best: BestValidation | null;
  private epochsWithoutBetter = 0;
  private stopReason: string | undefined;

  constructor(
    private readonly sink: RunSink,
    readonly preprocessing: Preprocessing,
    private readonly earlyStop: number | undefined,
    best: BestValidation | null,
  ) {
    this.best = best;
  }

  /** Metric records carry `time` as milliseconds since the Unix epoch (docs/formats/run.md). */
  step(m: StepMetrics): void {
    this.lastStep = m.step;
    this.sink.appendMetrics([{ ...m, time: Date.now() }]);
  }

  /** Records the epoch; resolves to 'stop' when early stopping's patience has run out. */
  async epoch(m: EpochMetrics): Promise<'stop' | undefined> {
    this.lastStep = m.step;
    this.sink.appendMetrics([{ ...m, time: Date.now() }]);
    await this.sink.updateSummary({ epoch: m.epoch, step: m.step, trainLoss: m.trainLoss, valLoss: m.valLoss, valAccuracy: m.valAccuracy });
    if (this.earlyStop === undefined) return undefined;
    // The same comparison checkpoint() makes next with these numbers, before `best` moves.
    if (isBetterValidation({ accuracy: m.valAccuracy, loss: m.valLoss }, this.best)) this.epochsWithoutBetter = 0;
    else this.epochsWithoutBetter++;
    if (this.epochsWithoutBetter < this.earlyStop) return undefined;
    const best = this.best!;
    this.stopReason = `early stop: no better validation accuracy for ${this.earlyStop} epoch${this.earlyStop === 1 ? '' : 's'} (best ${(100 * best.accuracy).toFixed(2)}% at epoch ${best.epoch})`;
    await this.sink.updateSummary({ stopReason: this.stopReason });
    return 'stop';
  }

  /** Saves the checkpoints these weights deserve; returns their names. */
  async checkpoint(c: TrainerCheckpoint): Promise<string[]> {
    const at = { epoch: c.epoch, step: c.step };
    const meta = modelCheckpointMetadata(at, this.preprocessing);
    const saved: string[] = [];
    const save = async (name: string, tensors: TrainerCheckpoint['model'], metadata: Record<string, string>): Promise<void> => {
      await this.sink.saveCheckpoint(name, tensors, metadata);
      saved.push(name);
    };
    if (c.atEpochEnd) await save(epochCheckpoint(c.epoch), c.model, meta);
    await save(LAST_CHECKPOINT, c.model, meta);
    await save(optimizerCheckpoint(LAST_CHECKPOINT), c.optimizer, optimizerCheckpointMetadata(at));
    const summary: RunSummary = { lastCheckpoint: LAST_CHECKPOINT, epoch: c.epoch, step: c.step };
    if (isBetterValidation(c.val, this.best)) {
      await save(BEST_CHECKPOINT, c.model, meta);
      this.bestWeights = c.model;
      this.best = { accuracy: c.val.accuracy, loss: c.val.loss, epoch: c.epoch };
      Object.assign(summary, { bestCheckpoint: BEST_CHECKPOINT, bestValAccuracy: c.val.accuracy, bestValLoss: c.val.loss, bestEpoch: c.epoch });
    }
    await this.sink.updateSummary(summary);
    return saved;
  }

  /** The summary a finished run keeps. `cappedAt`: the --max-steps cap, when it ended training. */
  finalSummary(s: TrainSummary, cappedAt?: number): RunSummary {
    const stopReason = this.stopReason ?? (cappedAt !== undefined ? `stopped at the step cap (${cappedAt} steps)` : undefined);
    return {
      trainLoss: s.trainLoss, valLoss: s.valLoss, valAccuracy: s.valAccuracy, imagesPerSecond: s.imagesPerSecond,
      epoch: s.epochs, step: s.steps, epochs: s.epochs, steps: s.steps,
      ...(s.divergence ? { divergence: s.divergence } : {}),
      ...(stopReason ? { stopReason } : {}),
    };
  }
}
