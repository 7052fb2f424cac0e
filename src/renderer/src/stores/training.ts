// Training: the hyperparameters, the run in progress, and what the UI shows of it. The GPU worker
// runs the engine's training session, which writes the run itself through the LabApi (the worker
// asks this thread to make the calls: src/renderer/src/lab/workerLab.ts); this store only starts,
// pauses, resumes and stops it, and feeds the live charts.
//
// Chart data lives in a LiveSeries (typed arrays, not reactive); `revision` is the one reactive
// number the charts watch, bumped at most once per animation frame however many steps arrive.
//
// The run being trained is remembered in sessionStorage, so after a reload (which interrupts it:
// the host sees this page go away) Train shows that run, its curves from the stored metrics, and
// offers to resume it.
//
// What the status line calls best is the best validation (the engine's rule: higher accuracy, a
// tie to the lower loss), tracked over the epoch records as they come and replaced by the run's
// own summary (bestValAccuracy, bestEpoch) once the run has one; never the last epoch's number.

import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, shallowRef } from 'vue';
import type { ConvAlgorithm } from '../../../engine/backend';
import type { OptimizerName } from '../../../engine/optim/optimizer';
import type { ScheduleKind } from '../../../engine/optim/schedule';
import type { ModelSpec } from '../../../engine/model/spec';
import type { EpochMetrics, StepMetrics, TrainConfig, TrainSummary } from '../../../engine/train/types';
import { modelDataMismatch } from '../../../engine/train/validate';
import { type AugmentSpec, augmentDataProblem } from '../../../engine/train/augment';
import type { AdapterSummary } from '../../../engine/webgpu/device';
import type { MetricsRecord, RunManifest } from '../../../shared/runFormat';
import { isBetterValidation, type RunSummary } from '../../../shared/runRecord';
import { LiveSeries, type BestValidation } from '../components/train/liveSeries';
import { storedCurves } from '../components/train/storedCurves';
import { trainConfigOf } from './trainConfig';
import { lab, labSocketForWorkers } from '../lab';
import type { FromWorker, KernelReport, StartOptions, ToWorker } from '../worker/protocol';
import { trainDataOf } from '../worker/trainData';
import { gpuWorker } from '../worker/workerClient';
import { useDatasetsStore } from './datasets';
import { useModelStore } from './model';
import { confirmLeavingWhile, rememberedId } from './pageSession';

export type TrainStatus = 'idle' | 'loading' | 'tuning' | 'running' | 'paused' | 'stopping' | 'evaluating' | 'completed' | 'stopped' | 'diverged' | 'failed' | 'interrupted';

export interface HyperParams {
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: OptimizerName;
  momentum: number;
  weightDecay: number;
  schedule: ScheduleKind;
  seed: number;
  /** 0 = no cap. */
  maxSteps: number;
  /** 0 = no early stopping; else the patience in epochs. */
  earlyStop: number;
  shuffle: boolean;
  name: string;
  /** Every conv layer's algorithm, or 'auto': timed per layer on this GPU, remembered per adapter. */
  convAlgorithm: ConvAlgorithm;
  /** Training-time augmentation (components/train/AugmentationField.vue); {} = none. */
  augment: AugmentSpec;
}

const ACTIVE: readonly TrainStatus[] = ['loading', 'tuning', 'running', 'paused', 'stopping', 'evaluating'];
/** sessionStorage key of the run this page is training (cleared when it ends). */
const ACTIVE_RUN_KEY = 'convlab.trainingRun';

export const useTrainingStore = defineStore('training', () => {
  const datasets = useDatasetsStore();
  const model = useModelStore();

  const params = reactive<HyperParams>({
    epochs: 3, batchSize: 64, lr: 0.01, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, schedule: 'constant', seed: 42, maxSteps: 0,
    earlyStop: 0, shuffle: true, name: '', convAlgorithm: 'auto', augment: {},
  });
  const status = ref<TrainStatus>('idle');
  const error = ref<string | null>(null);
  const adapter = ref<AdapterSummary | null>(null);
  const runId = ref<string | null>(null);
  /** The run this page was training before a reload interrupted it, when that is the run shown. */
  const interruptedRun = ref<RunManifest | null>(null);
  const totalSteps = ref(0);
  const stepsPerEpoch = ref(0);
  const step = ref(0);
  const epoch = ref(0);
  const seconds = ref(0);
  const imagesPerSecond = ref(0);
  const timing = ref<'timestamp' | 'coarse' | null>(null);
  /** While kernels are tuned on the training steps: what the newest step timed (its `tuning`). */
  const tuningNote = ref<string | null>(null);
  const summary = ref<TrainSummary | null>(null);
  const lastEpoch = ref<EpochMetrics | null>(null);
  /** The newest checkpoint the session saved. */
  const lastCheckpoint = ref<string | null>(null);
  /** Which kernel each conv layer runs and why, as the worker last reported it (plain data, replaced whole). */
  const kernels = shallowRef<KernelReport | null>(null);
  /** The model the shown run trains (legends name its layers); not the Model view's, which may change meanwhile. */
  const runSpec = shallowRef<ModelSpec | null>(null);
  /** The best validation as the run's stored summary says it, once it says it. */
  const storedBest = ref<BestValidation | null>(null);

  const series = shallowRef(markRaw(new LiveSeries()));
  const revision = ref(0);
  let frameRequested = false;
  /** Seconds of training before this session (a resumed run's session starts at 0 again). */
  let elapsedBefore = 0;
  /** Wall-clock ms at which this session's `elapsed` was 0 (live steps carry no wall time). */
  let sessionStartWall: number | null = null;

  const active = computed(() => ACTIVE.includes(status.value));
  const activeId = rememberedId(ACTIVE_RUN_KEY);

  /** The best validation so far: the run's summary, or what this page saw when that is better
   *  (a resumed run beating its stored best before the summary says so). */
  const bestValidation = computed<BestValidation | null>(() => {
    void revision.value;
    const live = series.value.best;
    const stored = storedBest.value;
    if (!stored) return live;
    return live && isBetterValidation(live, stored) ? live : stored;
  });

  /** Why training cannot start with the current dataset and model, or null. */
  const blocker = computed<string | null>(() => {
    const d = datasets.selected;
    if (!d) return 'Choose a dataset first (Datasets view).';
    if (!model.valid) return `The model does not build: ${model.analysis.error?.message ?? 'fix it in the Model view'}.`;
    const mismatch = modelDataMismatch(model.spec, { name: d.name, channels: d.channels, height: d.height, width: d.width, classes: d.classes.length });
    if (mismatch) return `${mismatch[0]!.toUpperCase()}${mismatch.slice(1)} (Model view).`;
    if (!Number.isInteger(params.epochs) || params.epochs < 1) return 'Epochs must be a whole number ≥ 1.';
    if (!Number.isInteger(params.batchSize) || params.batchSize < 1) return 'Batch size must be a whole number ≥ 1.';
    if (!(params.lr > 0 && params.lr <= 10)) return 'The learning rate must be > 0 and at most 10.';
    if (params.earlyStop > 0 && d.split?.val === 0) return `Early stopping watches the validation accuracy, but "${d.name}" has no validation split.`;
    const augmentIssue = augmentDataProblem(params.augment, d);
    if (augmentIssue) return `${augmentIssue[0]!.toUpperCase()}${augmentIssue.slice(1)}.`;
    return null;
  });

  /** Seconds left: the median time per step over the last ~20 steps (the median ignores the first
   *  steps' shader compiles and the gap of a pause), times the steps left. */
  const eta = computed<number | null>(() => {
    void revision.value;
    const s = series.value;
    const n = s.step.length;
    if (n < 3 || totalSteps.value === 0) return null;
    const t = s.time.view();
    const deltas: number[] = [];
    for (let i = Math.max(1, n - 20); i < n; i++) deltas.push(t[i]! - t[i - 1]!);
    deltas.sort((a, b) => a - b);
    const perStep = deltas[Math.floor(deltas.length / 2)]!;
    return perStep > 0 ? (totalSteps.value - step.value) * perStep : null;
  });

  let unlisten: (() => void) | null = null;
  /** A resumed run's stored records, until the worker says which step it resumes from. */
  let resumedRecords: { manifest: RunManifest; records: MetricsRecord[] } | null = null;

  function redrawSoon(): void {
    if (frameRequested) return;
    frameRequested = true;
    const tick = (): void => {
      frameRequested = false;
      revision.value++;
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(tick);
    else setTimeout(tick, 16);
  }

  function trainConfig(): TrainConfig {
    return trainConfigOf(params, model.spec);
  }

  function reset(): void {
    error.value = null;
    summary.value = null;
    lastEpoch.value = null;
    lastCheckpoint.value = null;
    runId.value = null;
    interruptedRun.value = null;
    kernels.value = null;
    tuningNote.value = null;
    storedBest.value = null;
    sessionStartWall = null;
    step.value = 0;
    epoch.value = 0;
    totalSteps.value = 0;
    elapsedBefore = 0;
    series.value = markRaw(new LiveSeries());
    revision.value++;
  }

  async function start(): Promise<void> {
    if (active.value || blocker.value) return;
    reset();
    const config = trainConfig();
    runSpec.value = markRaw(config.spec);
    await launch(datasets.selected!.id, {
      config,
      convAlgorithm: params.convAlgorithm,
      ...(params.name.trim() ? { name: params.name.trim() } : {}),
    });
  }

  /** Continues a stopped or interrupted run from its last checkpoint, with its own settings. */
  async function resumeRun(id: string): Promise<void> {
    if (active.value) return;
    try {
      const manifest = await lab.runs.get(id);
      const records = await lab.runs.metrics(id);
      reset();
      showStoredRun(manifest, records);
      resumedRecords = { manifest, records };
      const recorded = manifest.config as { train?: TrainConfig; convAlgorithm?: ConvAlgorithm };
      if (!recorded.train) throw new Error(`run ${id} does not record its training config`);
      await launch(manifest.dataset.id, { config: recorded.train, convAlgorithm: recorded.convAlgorithm ?? 'auto', resume: id });
    } catch (e) {
      status.value = 'failed';
      error.value = `Could not resume run ${id}: ${(e as Error).message}`;
    }
  }

  async function launch(datasetId: string, options: StartOptions): Promise<void> {
    status.value = 'loading';
    try {
      // Browser mode: the worker fetches the dataset over its own socket, so its megabytes never
      // arrive on this thread (trainData.ts). The desktop app's LabApi lives on this thread only.
      const message: ToWorker = labSocketForWorkers !== null
        ? { type: 'startFetching', source: { labSocketUrl: labSocketForWorkers, datasetId }, ...options }
        : { type: 'start', data: trainDataOf(await lab.datasets.tensors(datasetId)), ...options };
      unlisten?.();
      unlisten = gpuWorker.listen(onMessage);
      gpuWorker.send(message);
    } catch (e) {
      status.value = 'failed';
      error.value = `Could not start training: ${(e as Error).message}`;
    }
  }

  function onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'adapter':
        adapter.value = m.adapter;
        if (!m.adapter.timestamps) timing.value = 'coarse';
        return;
      case 'started':
        runId.value = m.runId;
        totalSteps.value = m.totalSteps;
        stepsPerEpoch.value = m.stepsPerEpoch;
        if (resumedRecords) {
          // The session continues from its last checkpoint, which may be older than the newest
          // stored step: show the curves up to where it resumes, as the run will be.
          const { manifest, records } = resumedRecords;
          resumedRecords = null;
          series.value = markRaw(new LiveSeries());
          showStoredRun(manifest, records.filter((r) => r.step === undefined || r.step <= m.startStep));
        }
        totalSteps.value = m.totalSteps;
        step.value = m.startStep;
        activeId.remember(m.runId);
        return;
      case 'state':
        status.value = m.state;
        return;
      case 'kernels':
        kernels.value = markRaw(m.report);
        return;
      case 'steps':
        onSteps(m.metrics);
        return;
      case 'epoch':
        series.value.addEpoch(m.metrics);
        lastEpoch.value = m.metrics;
        epoch.value = m.metrics.epoch;
        redrawSoon();
        return;
      case 'checkpoint':
        lastCheckpoint.value = m.name;
        return;
      case 'done':
        summary.value = m.summary;
        series.value.addFinalValidation(m.summary.steps, m.summary.valLoss, m.summary.valAccuracy, m.summary.epochs);
        if (m.summary.divergence) error.value = m.summary.divergence;
        end(m.summary.status);
        if (runId.value) void readStoredBest(runId.value);
        return;
      case 'error':
        // Errors of the kernel lab's jobs are its own; null means the worker itself failed.
        if (m.job !== 'train' && m.job !== null) return;
        if (m.kind === 'busy') {
          error.value = m.message;
          if (status.value === 'loading') status.value = 'idle';
          stopListening();
          return;
        }
        if (!ACTIVE.includes(status.value)) return;
        error.value = m.message;
        // The session records a failure itself; a worker that died could not, so say it here
        // (refused harmlessly when the session already finished the run).
        if (m.job === null && runId.value) void lab.runs.finish(runId.value, 'failed', { error: m.message }).catch(() => undefined);
        end('failed');
        return;
      default:
        return; // self-test, worked-example and lab-call messages belong to others
    }
  }

  function onSteps(list: StepMetrics[]): void {
    const s = series.value;
    const last = list[list.length - 1]!;
    // The batch arrives just after its last step: that step's wall time is about now.
    sessionStartWall ??= Date.now() - last.elapsed * 1000;
    for (const m of list) s.addStep({ ...m, elapsed: elapsedBefore + m.elapsed }, sessionStartWall + m.elapsed * 1000);
    step.value = last.step;
    seconds.value = elapsedBefore + last.elapsed;
    imagesPerSecond.value = last.imagesPerSecond;
    timing.value = last.timing;
    tuningNote.value = last.tuning ?? null;
    redrawSoon();
  }

  function end(final: TrainStatus): void {
    resumedRecords = null;
    status.value = final;
    activeId.forget();
    stopListening();
    redrawSoon();
  }

  function stopListening(): void {
    unlisten?.();
    unlisten = null;
  }

  function pause(): void {
    if (status.value === 'running') gpuWorker.send({ type: 'pause' });
  }
  function resume(): void {
    if (status.value === 'paused') gpuWorker.send({ type: 'resume' });
  }
  function stop(): void {
    if (status.value === 'running' || status.value === 'paused' || status.value === 'tuning') gpuWorker.send({ type: 'stop' });
  }

  // --- a run shown from the store: after a reload, or before resuming it ------------------------

  function showStoredRun(manifest: RunManifest, records: MetricsRecord[]): void {
    const s = series.value;
    const { steps: stepRecords, epochs: epochRecords } = storedCurves(records);
    for (const r of stepRecords) s.addStep(r, r.wall);
    for (const r of epochRecords) s.addEpoch(r);
    const spec = (manifest.config as { train?: TrainConfig }).train?.spec;
    runSpec.value = spec ? markRaw(spec) : null;
    storedBest.value = bestOfSummary(manifest);
    const steps = s.step.length;
    step.value = steps > 0 ? s.step.view()[steps - 1]! : 0;
    seconds.value = elapsedBefore = steps > 0 ? s.time.view()[steps - 1]! : 0;
    imagesPerSecond.value = steps > 0 ? s.imagesPerSecond.view()[steps - 1]! : 0;
    const lastE = epochRecords.at(-1);
    lastEpoch.value = lastE ?? null;
    epoch.value = lastE?.epoch ?? 0;
    runId.value = manifest.id;
    // Epoch records sit at whole epochs (epoch k at step k·stepsPerEpoch), which gives the totals
    // until the worker, resuming, says them exactly.
    const train = (manifest.config as { train?: TrainConfig }).train;
    const perEpoch = lastE && lastE.epoch > 0 ? lastE.step / lastE.epoch : 0;
    stepsPerEpoch.value = perEpoch;
    totalSteps.value = train && perEpoch > 0 ? Math.min(train.epochs * perEpoch, train.maxSteps ?? Infinity) : step.value;
    redrawSoon();
  }

  /** The run this page was training when it was reloaded, with its curves. */
  async function restoreAfterReload(): Promise<void> {
    const id = activeId.read();
    if (!id || active.value) return;
    try {
      // The host marks the run interrupted as soon as the old page's connection is gone; a moment
      // after a reload it may still say running, so look again briefly.
      let manifest = await lab.runs.get(id);
      for (let i = 0; i < 20 && manifest.status === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        manifest = await lab.runs.get(id);
      }
      showStoredRun(manifest, await lab.runs.metrics(id));
      showSettingsOf(manifest);
      interruptedRun.value = manifest;
      status.value = manifest.status === 'interrupted' ? 'interrupted' : manifest.status === 'running' ? 'interrupted' : (manifest.status as TrainStatus);
    } catch {
      // The run was deleted meanwhile: nothing to show.
    } finally {
      activeId.forget();
    }
  }

  /** The form shows the settings the run was trained with (a reload had reset them to defaults). */
  function showSettingsOf(manifest: RunManifest): void {
    const t = (manifest.config as { train?: TrainConfig; convAlgorithm?: ConvAlgorithm }).train;
    if (!t) return;
    Object.assign(params, {
      epochs: t.epochs, batchSize: t.batchSize, lr: t.lr, optimizer: t.optimizer.name, momentum: t.optimizer.momentum,
      weightDecay: t.optimizer.weightDecay, schedule: t.schedule.kind, seed: t.seed, maxSteps: t.maxSteps ?? 0, earlyStop: t.earlyStop ?? 0,
      shuffle: t.shuffle, name: manifest.name === manifest.id ? '' : manifest.name,
      convAlgorithm: (manifest.config as { convAlgorithm?: ConvAlgorithm }).convAlgorithm ?? 'auto',
      ...(t.augment ? { augment: { ...t.augment } } : {}),
    });
  }

  /** The finished run's own best (its summary), which also counts validations the live view missed. */
  async function readStoredBest(id: string): Promise<void> {
    try {
      const manifest = await lab.runs.get(id);
      if (runId.value === id) storedBest.value = bestOfSummary(manifest);
    } catch {
      // the live maximum stays
    }
  }

  // Leaving or reloading the page interrupts the run (the host keeps what was saved): ask first.
  confirmLeavingWhile(active);

  return {
    params, status, error, kernels, adapter, runId, interruptedRun, totalSteps, stepsPerEpoch, step, epoch, seconds, imagesPerSecond, timing, tuningNote,
    summary, lastEpoch, lastCheckpoint, series, revision, active, blocker, eta, runSpec, bestValidation, start, pause, resume, stop, resumeRun,
    restoreAfterReload,
  };
});

/** The summary's best validation, when the run recorded one. */
function bestOfSummary(manifest: RunManifest): BestValidation | null {
  const s = (manifest.summary ?? {}) as RunSummary;
  if (typeof s.bestValAccuracy !== 'number' || !Number.isFinite(s.bestValAccuracy)) return null;
  const epoch = typeof s.bestEpoch === 'number' ? s.bestEpoch : NaN;
  return { accuracy: s.bestValAccuracy, loss: typeof s.bestValLoss === 'number' ? s.bestValLoss : NaN, epoch, step: NaN };
}
