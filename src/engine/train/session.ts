// One training session, for every host: `convlab train`, the app's worker, sweeps. From a
// dataset, a model spec, a train config and a backend it validates, fits the batch, builds the
// model, tunes the conv kernels, trains, evaluates, and hands every record and checkpoint to a
// RunSink. What a run records is decided here and in src/shared/runRecord.ts, nowhere else.
//
//   validate → check the batch fits → Trainer (uploads the data) → sink.create / reopen →
//   trainer.run (steps, epochs, checkpoints: epoch-N, last, best; on WebGPU the first steps
//   also tune the kernels) → final evaluation → sink.finish
//
// Hosts stay thin: they open a device, load the dataset, make a sink and show progress.

import { formatText } from '../model/formatText';
import { inferShapes } from '../model/infer';
import type { ModelSpec } from '../model/spec';
import type { Backend } from '../backend';
import type { Sequential } from '../nn/sequential';
import { tuneModel } from '../webgpu/autotune/tuneModel';
import { StepTuner } from '../webgpu/autotune/stepTuner';
import { WebGpuBackend } from '../webgpu/webgpuBackend';
import { evaluationName } from '../../shared/evaluation';
import type { LoadedDataset } from '../../shared/datasetFormat';
import { BEST_CHECKPOINT, type Preprocessing, type SweepMembership } from '../../shared/runRecord';
import { evaluate } from '../eval/evaluate';
import { loadStateDict } from '../nn/stateDict';
import type { TrainControl } from './control';
import { checkBatchFits } from './memory';
import type { ResumePlan } from './resume';
import type { RunSink, SessionStatus } from './runSink';
import { RunRecorder } from './runRecorder';
import type { StepTuningEvent } from './stepTuning';
import { type StepTimer, WallClockTimer, gpuStepTimer } from './timer';
import { Trainer } from './trainer';
import type { EpochMetrics, NamedTensor, StepMetrics, TrainConfig, TrainSummary } from './types';
import { checkModelFitsData } from './validate';

/** A dataset as the session takes it: the trainer's tensors plus what the run records about it
 *  (its id and name, class names, and how a folder import fitted its images). */
export type SessionDataset = LoadedDataset;

/** What the session reports while it works, for progress lines and live charts. */
export interface SessionEvents<B> {
  /** The model is built and the run exists; training has not started. */
  onPrepared?(p: { runId: string; totalSteps: number; stepsPerEpoch: number; parameters: string[]; model: Sequential<B>; startStep: number }): void;
  /** 'tuning' before the first step (WebGPU without timestamp queries only: elsewhere the
   *  kernels are tuned on the training steps, see onTuning), 'running', and 'evaluating' for
   *  the final validation evaluation of the best weights. */
  onState?(state: 'tuning' | 'running' | 'evaluating'): void;
  /** Tuning finished after `seconds` (WebGPU only; on the training steps: after `steps` of them). */
  onTuned?(seconds: number, steps?: number): void;
  /** Tuning on the training steps: which problems are timed, each decision, the end. */
  onTuning?(event: StepTuningEvent): void;
  onStep?(m: StepMetrics): void;
  onEpoch?(m: EpochMetrics): void;
  /** A checkpoint of this name was written. */
  onCheckpoint?(name: string): void;
}

export interface TrainingSessionOptions<B> {
  backend: Backend<B>;
  data: SessionDataset;
  /** A new run's model and settings; ignored when resuming (the run's own are used). */
  spec: ModelSpec;
  config: TrainConfig;
  sink: RunSink;
  control?: TrainControl;
  /** What the manifest records about where the run came from. */
  record: {
    name?: string;
    /** The data reference as the user gave it (a dataset id, builtin:…, a file list). */
    dataRef: string;
    convAlgorithm: string;
    versions: Record<string, string>;
    tags?: string[];
    /** The sweep this run belongs to, when it does. */
    sweep?: SweepMembership;
  };
  /** Weights to start from (fine-tuning); the optimizer starts fresh. */
  init?: NamedTensor[];
  /** Continue this run (planResume) instead of creating one. A plan without weights restarts the
   *  run from scratch in the same folder (a sweep's run interrupted before its first checkpoint). */
  resume?: ResumePlan;
  events?: SessionEvents<B>;
}

export interface SessionResult {
  runId: string;
  status: SessionStatus;
  summary: TrainSummary;
}

export async function runTrainingSession<B>(o: TrainingSessionOptions<B>): Promise<SessionResult> {
  const { backend: be, data, events } = o;
  const config: TrainConfig = o.resume ? { ...o.resume.config, maxSteps: o.config.maxSteps } : o.config;
  const spec = config.spec;
  checkModelFitsData(spec, { name: data.name, channels: data.channels, height: data.height, width: data.width, classes: data.classes.length });
  if (config.earlyStop !== undefined && data.valIndices.length === 0) {
    throw new Error(`early stopping watches the validation accuracy, but dataset "${data.name}" has no validation split; import it with a validation fraction, or train without early stopping`);
  }
  const gpu = be instanceof WebGpuBackend ? be : null;
  if (gpu) checkBatchFits(inferShapes(spec, config.batchSize), gpu.ctx.device.limits.maxStorageBufferBindingSize);
  const timer: StepTimer = gpu ? gpuStepTimer(gpu.ctx) : new WallClockTimer();
  // With timestamp queries the kernels are tuned on the training steps themselves; without,
  // every candidate is timed up front below.
  const stepTuner = gpu && timer.kind === 'timestamp'
    ? new StepTuner(gpu, {
      batch: config.batchSize,
      onEvent: (e) => {
        events?.onTuning?.(e);
        if (e.kind === 'done') events?.onTuned?.(e.seconds, e.steps);
      },
    })
    : null;

  const recorder = new RunRecorder(o.sink, preprocessingOf(data, spec), config.earlyStop, o.resume?.best ?? null);
  const resume = o.resume && o.resume.model.length > 0
    ? { model: o.resume.model, optimizer: o.resume.optimizer, epoch: o.resume.epoch, step: o.resume.step }
    : !o.resume && o.init
      ? { model: o.init, optimizer: [], epoch: 0, step: 0 }
      : undefined;
  const trainer = new Trainer(be, config, {
    images: data.images, labels: data.labels, channels: data.channels, height: data.height, width: data.width,
    classes: data.classes.length, trainIndices: data.trainIndices, valIndices: data.valIndices, mean: data.mean, std: data.std,
  }, {
    control: o.control,
    timer,
    ...(stepTuner ? { stepTuning: stepTuner } : {}),
    resume,
    hooks: {
      onStep: (m) => {
        recorder.step(m);
        events?.onStep?.(m);
      },
      onEpoch: async (m) => {
        events?.onEpoch?.(m);
        return recorder.epoch(m);
      },
      onCheckpoint: async (c) => {
        for (const name of await recorder.checkpoint(c)) events?.onCheckpoint?.(name);
      },
    },
  });

  // Created only once the trainer has accepted the model, data and weights: bad input leaves no run.
  let runId: string;
  if (o.resume) {
    runId = o.resume.runId;
    await o.sink.reopen(runId);
    o.sink.appendMetrics([{ kind: 'event', time: Date.now(), message: resume ? `resumed at epoch ${o.resume.epoch}, step ${o.resume.step}` : 'restarted from the beginning (no checkpoint to resume from)' }]);
  } else {
    runId = await o.sink.create({
      ...(o.record.name ? { name: o.record.name } : {}),
      config: {
        data: o.record.dataRef, model: formatText(spec), train: { ...config }, backend: be.kind, convAlgorithm: o.record.convAlgorithm,
        ...(o.record.sweep ? { sweep: o.record.sweep } : {}),
      },
      modelSpec: formatText(spec),
      dataset: { id: data.id, name: data.name },
      seed: config.seed,
      adapter: gpu ? { backend: 'webgpu', ...gpu.ctx.adapter } : { backend: 'cpu', description: 'float64 CPU twins' },
      versions: o.record.versions,
      preprocessing: recorder.preprocessing,
      ...(o.record.tags?.length ? { tags: o.record.tags } : {}),
    });
  }

  try {
    events?.onPrepared?.({
      runId, totalSteps: trainer.totalSteps, stepsPerEpoch: trainer.stepsPerEpoch,
      parameters: trainer.optimizer.params.map((p) => p.name), model: trainer.model, startStep: resume?.step ?? 0,
    });
    if (gpu) await gpu.tuner.load(); // the choices earlier runs measured on this adapter
    if (gpu && !stepTuner) {
      // Like cudnn.benchmark: each conv layer's algorithms and GEMM tiles are timed on this
      // adapter the first time its shape is seen; the choices persist for the next launch.
      events?.onState?.('tuning');
      const began = performance.now();
      await tuneModel(gpu, trainer.model as Sequential<unknown>, [config.batchSize, ...spec.input]);
      events?.onTuned?.((performance.now() - began) / 1000);
    }
    if (!o.control?.stopRequested) events?.onState?.('running');
    const summary = await trainer.run();
    // What the steps measured, also when training ended before every problem was decided.
    if (stepTuner) {
      gpu!.picker = null;
      await gpu!.saveTuning().catch(() => undefined);
    }
    if (o.control?.abortedWith) throw o.control.abortedWith;
    const status: SessionStatus = summary.status;
    const capped = summary.status === 'completed' && config.maxSteps !== undefined && summary.steps === config.maxSteps && summary.steps < config.epochs * trainer.stepsPerEpoch;
    const final = recorder.finalSummary(summary, capped ? config.maxSteps : undefined);
    // The validation evaluation of the best weights (what `convlab eval RUN` computes by
    // default), stored so the run's page shows the confusion matrix without recomputing it.
    const bestWeights = recorder.bestWeights ?? o.resume?.bestModel;
    if (status !== 'diverged' && data.valIndices.length > 0 && bestWeights) {
      events?.onState?.('evaluating');
      loadStateDict(trainer.model, be, bestWeights);
      const report = await evaluate(be, {
        model: trainer.model, source: trainer.deviceImages, labels: data.labels, indices: data.valIndices, classes: data.classes,
        runId, checkpoint: BEST_CHECKPOINT, dataset: { id: data.id, name: data.name, split: 'validation' },
      });
      const name = evaluationName(data.id, 'validation', BEST_CHECKPOINT);
      await o.sink.saveEvaluation(name, report);
      final.evaluation = name;
    }
    await o.sink.finish(status, final);
    return { runId, status, summary: { ...summary, ...(final.stopReason ? { stopReason: final.stopReason } : {}) } };
  } catch (error) {
    await o.sink.finish('failed', { error: error instanceof Error ? error.message : String(error), step: recorder.lastStep }).catch(() => undefined);
    throw error;
  }
}

/** The preprocessing a run records: the dataset's normalisation and fit, the model's input. */
export function preprocessingOf(data: Pick<SessionDataset, 'classes' | 'mean' | 'std' | 'fit'>, spec: ModelSpec): Preprocessing {
  return {
    input: [...spec.input] as Preprocessing['input'],
    // Images stored at their own size (IDX, CIFAR-10) were never fitted; new images of another
    // size are resized, the least surprising choice.
    fit: data.fit ?? 'resize',
    mean: [...data.mean],
    std: [...data.std],
    classes: [...data.classes],
  };
}
