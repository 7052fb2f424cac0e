// Training: the hyperparameters, the run in progress, and the glue between the GPU worker and the
// run store. The worker computes; this store writes the run through the LabApi (metrics batched
// every 500 ms, checkpoints as they come, the final status last) and feeds the live charts.
//
// Chart data lives in a LiveSeries (typed arrays, not reactive); `revision` is the one reactive
// number the charts watch, bumped at most once per animation frame however many steps arrive.

import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, shallowRef } from 'vue';
import type { ConvAlgorithm } from '../../../engine/backend';
import { inferShapes } from '../../../engine/model/infer';
import { formatText } from '../../../engine/model/formatText';
import { DEFAULT_OPTIMIZER, type OptimizerName } from '../../../engine/optim/optimizer';
import { DEFAULT_SCHEDULE, type ScheduleKind } from '../../../engine/optim/schedule';
import type { EpochMetrics, StepMetrics, TrainConfig, TrainSummary } from '../../../engine/train/types';
import type { AdapterSummary } from '../../../engine/webgpu/device';
import type { FinishStatus } from '../../../shared/runFormat';
import { LiveSeries } from '../components/train/liveSeries';
import { lab, labSocketForWorkers } from '../lab';
import { MetricsBatcher } from '../worker/metricsBatcher';
import type { FromWorker, KernelReport, ToWorker, WireTensor } from '../worker/protocol';
import { trainDataOf } from '../worker/trainData';
import { gpuWorker } from '../worker/workerClient';
import { useDatasetsStore } from './datasets';
import { useModelStore } from './model';

export type TrainStatus = 'idle' | 'loading' | 'tuning' | 'running' | 'paused' | 'stopping' | 'finishing' | 'completed' | 'stopped' | 'diverged' | 'failed';

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
  name: string;
  /** Every conv layer's algorithm, or 'auto': timed per layer on this GPU, remembered per adapter. */
  convAlgorithm: ConvAlgorithm;
}

const ACTIVE: readonly TrainStatus[] = ['loading', 'tuning', 'running', 'paused', 'stopping', 'finishing'];

const asBytes = (t: WireTensor) => ({ name: t.name, shape: t.shape, data: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) });

export const useTrainingStore = defineStore('training', () => {
  const datasets = useDatasetsStore();
  const model = useModelStore();

  const params = reactive<HyperParams>({
    epochs: 3, batchSize: 64, lr: 0.01, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, schedule: 'constant', seed: 42, maxSteps: 0, name: '', convAlgorithm: 'auto',
  });
  const status = ref<TrainStatus>('idle');
  const error = ref<string | null>(null);
  const adapter = ref<AdapterSummary | null>(null);
  const runId = ref<string | null>(null);
  const totalSteps = ref(0);
  const stepsPerEpoch = ref(0);
  const step = ref(0);
  const epoch = ref(0);
  const seconds = ref(0);
  const imagesPerSecond = ref(0);
  const timing = ref<'timestamp' | 'coarse' | null>(null);
  const summary = ref<TrainSummary | null>(null);
  const lastEpoch = ref<EpochMetrics | null>(null);
  /** Why a write to the run store failed (training goes on; the run may be incomplete). */
  const storeError = ref<string | null>(null);
  /** Which kernel each conv layer runs and why, as the worker last reported it (plain data, replaced whole). */
  const kernels = shallowRef<KernelReport | null>(null);

  const series = shallowRef(markRaw(new LiveSeries()));
  const revision = ref(0);
  let frameRequested = false;

  const active = computed(() => ACTIVE.includes(status.value));

  /** Why training cannot start with the current dataset and model, or null. */
  const blocker = computed<string | null>(() => {
    const d = datasets.selected;
    if (!d) return 'Choose a dataset first (Datasets view).';
    if (!model.valid) return `The model does not build: ${model.analysis.error?.message ?? 'fix it in the Model view'}.`;
    const [c, h, w] = model.input;
    if (c !== d.channels || h !== d.height || w !== d.width) return `The model expects ${c}×${h}×${w} images but "${d.name}" has ${d.channels}×${d.height}×${d.width}.`;
    try {
      const out = inferShapes(model.spec, 1).outputSize;
      if (out !== d.classes.length) return `The model ends with ${out} outputs but "${d.name}" has ${d.classes.length} classes: make the last linear layer's out ${d.classes.length} (Model view).`;
    } catch (e) {
      return (e as Error).message;
    }
    if (!Number.isInteger(params.epochs) || params.epochs < 1) return 'Epochs must be a whole number ≥ 1.';
    if (!Number.isInteger(params.batchSize) || params.batchSize < 1) return 'Batch size must be a whole number ≥ 1.';
    if (!(params.lr > 0 && params.lr <= 10)) return 'The learning rate must be > 0 and at most 10.';
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

  let batcher: MetricsBatcher<object> | null = null;
  let runReady: Promise<string> | null = null;
  let checkpoints: Promise<void> = Promise.resolve();
  let lastCheckpoint: string | null = null;
  let unlisten: (() => void) | null = null;

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

  /** A plain copy: the model store's spec is made of reactive proxies, which postMessage cannot clone. */
  function trainConfig(): TrainConfig {
    return {
      spec: JSON.parse(JSON.stringify(model.spec)) as TrainConfig['spec'],
      epochs: params.epochs,
      batchSize: params.batchSize,
      lr: params.lr,
      optimizer: { ...DEFAULT_OPTIMIZER, name: params.optimizer, momentum: params.optimizer === 'sgd' ? params.momentum : 0, weightDecay: params.weightDecay },
      schedule: { ...DEFAULT_SCHEDULE, kind: params.schedule },
      seed: params.seed,
      ...(params.maxSteps > 0 ? { maxSteps: params.maxSteps } : {}),
      shuffle: true,
    };
  }

  async function start(): Promise<void> {
    if (active.value || blocker.value) return;
    const d = datasets.selected!;
    const config = trainConfig();
    status.value = 'loading';
    error.value = null;
    storeError.value = null;
    summary.value = null;
    lastEpoch.value = null;
    runId.value = null;
    kernels.value = null;
    step.value = 0;
    epoch.value = 0;
    totalSteps.value = 0;
    lastCheckpoint = null;
    checkpoints = Promise.resolve();
    series.value = markRaw(new LiveSeries());
    revision.value++;
    try {
      // Browser mode: the worker fetches the dataset over its own socket, so its megabytes never
      // arrive on this thread (trainData.ts). The desktop app's LabApi lives on this thread only.
      let message: ToWorker;
      let trained = { id: d.id, name: d.name };
      const convAlgorithm = params.convAlgorithm;
      if (labSocketForWorkers !== null) {
        message = { type: 'startFetching', config, source: { labSocketUrl: labSocketForWorkers, datasetId: d.id }, convAlgorithm };
      } else {
        const t = await lab.datasets.tensors(d.id);
        trained = { id: t.id, name: t.name };
        message = { type: 'start', config, data: trainDataOf(t), convAlgorithm };
      }
      const modelText = formatText(config.spec);
      batcher = new MetricsBatcher<object>(async (records) => lab.runs.appendMetrics(await runReady!, records));
      runReady = null;
      const createRun = (summaryOfAdapter: AdapterSummary | null, dataset = trained): Promise<string> =>
        lab.app.info().catch(() => null).then((info) =>
          lab.runs.create({
            ...(params.name.trim() ? { name: params.name.trim() } : {}),
            // The conv algorithm changes speed, not results: recorded so a comparison explains a difference in images/s.
            config: { data: d.id, model: modelText, train: config, backend: 'webgpu', convAlgorithm },
            modelSpec: modelText,
            dataset,
            seed: config.seed,
            adapter: summaryOfAdapter ? { backend: 'webgpu', ...summaryOfAdapter } : undefined,
            versions: info ? { convlab: info.version, chrome: info.chrome, electron: info.electron, platform: info.platform } : {},
          }),
        ).then((r) => (runId.value = r.id));
      unlisten?.();
      unlisten = gpuWorker.listen((m) => onMessage(m, createRun));
      gpuWorker.send(message);
    } catch (e) {
      status.value = 'failed';
      error.value = `Could not start training: ${(e as Error).message}`;
    }
  }

  function onMessage(m: FromWorker, createRun: (a: AdapterSummary | null, dataset?: { id: string; name: string }) => Promise<string>): void {
    switch (m.type) {
      case 'adapter':
        adapter.value = m.adapter;
        if (!m.adapter.timestamps) timing.value = 'coarse';
        return;
      case 'started':
        totalSteps.value = m.totalSteps;
        stepsPerEpoch.value = m.stepsPerEpoch;
        runReady = createRun(adapter.value, m.dataset);
        runReady.catch((e: Error) => (storeError.value = `The run could not be created, so nothing is saved: ${e.message}`));
        return;
      case 'state':
        if (status.value !== 'finishing') status.value = m.state;
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
        batcher?.push(m.metrics);
        redrawSoon();
        return;
      case 'checkpoint':
        saveCheckpoint(m);
        return;
      case 'done':
        void finish(m.summary.status, m.summary);
        return;
      case 'error':
        // Errors of the kernel lab's jobs are its own; null means the worker itself failed.
        if (m.job !== 'train' && m.job !== null) return;
        error.value = m.message;
        if (m.kind === 'busy') {
          if (status.value === 'loading') status.value = 'idle';
          unlisten?.();
          unlisten = null;
          return;
        }
        if (ACTIVE.includes(status.value)) void finish('failed', null);
        return;
      default:
        return; // self-test and worked-example messages belong to the kernel lab
    }
  }

  function onSteps(list: StepMetrics[]): void {
    const s = series.value;
    for (const m of list) s.addStep(m);
    const last = list[list.length - 1]!;
    step.value = last.step;
    seconds.value = last.elapsed;
    imagesPerSecond.value = last.imagesPerSecond;
    timing.value = last.timing;
    batcher?.push(...list);
    redrawSoon();
  }

  function saveCheckpoint(m: Extract<FromWorker, { type: 'checkpoint' }>): void {
    const name = `epoch-${m.epoch}-step-${m.step}`;
    checkpoints = checkpoints.then(async () => {
      if (!runReady) return;
      try {
        const id = await runReady;
        await lab.runs.saveCheckpoint(id, name, m.model.map(asBytes), { format: 'pytorch-state-dict', epoch: String(m.epoch), step: String(m.step) });
        if (m.optimizer.length > 0) await lab.runs.saveCheckpoint(id, `${name}-optimizer`, m.optimizer.map(asBytes), { format: 'convlab-optimizer-state' });
        lastCheckpoint = name;
      } catch (e) {
        storeError.value = `Checkpoint ${name} was not saved: ${(e as Error).message}`;
      }
    });
  }

  async function finish(final: FinishStatus, s: TrainSummary | null): Promise<void> {
    status.value = 'finishing';
    summary.value = s;
    if (s) series.value.addFinalValidation(s.steps, s.valLoss, s.valAccuracy);
    try {
      await batcher?.close().catch((e: Error) => (storeError.value = `Some metrics were not saved: ${e.message}`));
      await checkpoints;
      if (runReady) {
        const id = await runReady;
        const numbers = s
          ? { trainLoss: s.trainLoss, valLoss: s.valLoss, valAccuracy: s.valAccuracy, imagesPerSecond: s.imagesPerSecond, epochs: s.epochs, steps: s.steps, ...(s.divergence ? { divergence: s.divergence } : {}) }
          : { error: error.value ?? 'training failed', steps: step.value };
        await lab.runs.finish(id, final, { ...numbers, ...(lastCheckpoint ? { lastCheckpoint } : {}) });
      }
    } catch (e) {
      storeError.value = `The run was not finished in the run store: ${(e as Error).message}`;
    } finally {
      batcher = null;
      runReady = null;
      unlisten?.();
      unlisten = null;
      status.value = final;
      if (s?.divergence) error.value = s.divergence;
      redrawSoon();
    }
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

  return {
    params, status, error, storeError, kernels, adapter, runId, totalSteps, stepsPerEpoch, step, epoch, seconds, imagesPerSecond, timing,
    summary, lastEpoch, series, revision, active, blocker, eta, start, pause, resume, stop,
  };
});
