// One training run inside the worker: the engine's training session (src/engine/train/session.ts,
// the same one `convlab train` runs) on navigator.gpu, writing its run through the LabApi
// (labRunSink) and telling the UI what happens for the live charts and the Kernels panel.

import { parseJson } from '../../../engine/model/parseJson';
import type { TrainControl } from '../../../engine/train/control';
import { planResume } from '../../../engine/train/resume';
import { runTrainingSession, type SessionDataset } from '../../../engine/train/session';
import type { StepMetrics, TrainConfig } from '../../../engine/train/types';
import type { GpuContext } from '../../../engine/webgpu/context';
import { WebGpuBackend } from '../../../engine/webgpu/webgpuBackend';
import type { LabRequestApi } from '../../../shared/labApi';
import { openGpuContext, watchDeviceLoss } from './gpuSession';
import { IndexedDbAutotuneStore } from './indexedDbAutotuneStore';
import { type ConvLayerProblem, convLayersOf, KernelReporter } from './kernelReport';
import { labRunReader, labRunSink } from './labRunSink';
import type { FromWorker, ToWorker, WorkerTrainData } from './protocol';

/** How often buffered step metrics are posted (ms): a few times per animation frame budget. */
const STEP_POST_MS = 50;

export type StartMessage = Extract<ToWorker, { type: 'start' }>;

export interface TrainJob {
  post(message: FromWorker): void;
  control: TrainControl;
  /** The LabApi over the UI thread (src/renderer/src/lab/workerLab.ts). */
  lab: LabRequestApi;
  /** Called with the context as soon as it exists, so the caller can attribute errors to it. */
  onContext(ctx: GpuContext): void;
}

export async function runTraining(start: StartMessage, job: TrainJob): Promise<void> {
  const { lab } = job;
  const resume = start.resume ? await planResume(labRunReader(lab.runs), start.resume) : undefined;
  // The spec passed zod's envelope check; the engine's own parser checks every layer.
  const config: TrainConfig = { ...start.config, spec: resume ? resume.config.spec : parseJson(start.config.spec) };
  const convAlgorithm = start.convAlgorithm ?? 'auto';
  const info = await lab.app.info().catch(() => null);

  const ctx = await openGpuContext();
  job.onContext(ctx);
  job.post({ type: 'adapter', adapter: ctx.adapter });
  // A loss while the trainer waits (paused) would otherwise go unnoticed until resume.
  watchDeviceLoss(ctx, (error) => job.control.abort(error));
  try {
    const autotuneStore = new IndexedDbAutotuneStore();
    const be = new WebGpuBackend(ctx, { convAlgorithm, autotuneStore });
    // Set once the model exists (onPrepared); read by the later callbacks.
    const panel: { kernels: KernelReporter | null; convLayers: ConvLayerProblem[] } = { kernels: null, convLayers: [] };
    const steps = new StepPoster(job.post, () => panel.kernels?.update());
    const result = await runTrainingSession({
      backend: be, data: sessionDataset(start.data), spec: config.spec, config, sink: labRunSink(lab.runs), control: job.control, resume,
      record: {
        ...(start.name ? { name: start.name } : {}),
        dataRef: start.data.id, convAlgorithm,
        versions: info ? { convlab: info.version, chrome: info.chrome, electron: info.electron, platform: info.platform } : {},
      },
      events: {
        onPrepared: (p) => {
          job.post({ type: 'started', runId: p.runId, totalSteps: p.totalSteps, stepsPerEpoch: p.stepsPerEpoch, startStep: p.startStep, parameters: p.parameters });
          const input = [config.batchSize, ...config.spec.input];
          panel.convLayers = convLayersOf(p.model.layers, input);
          panel.kernels = new KernelReporter(be, panel.convLayers, convAlgorithm, config.batchSize, (report) => job.post({ type: 'kernels', report }), () => autotuneStore.lastSaveError);
        },
        onState: (state) => {
          if (state === 'running') {
            noteConvChoices(be, panel.convLayers);
            panel.kernels?.update();
          }
          job.post({ type: 'state', state });
        },
        onStep: (m) => steps.push(m),
        onEpoch: (m) => {
          steps.flush();
          job.post({ type: 'epoch', metrics: m });
        },
        onCheckpoint: (name) => job.post({ type: 'checkpoint', name }),
      },
    });
    steps.flush();
    panel.kernels?.update();
    job.post({ type: 'done', runId: result.runId, summary: result.summary });
  } finally {
    ctx.dispose();
  }
}

function sessionDataset(d: WorkerTrainData): SessionDataset {
  return {
    id: d.id, name: d.name, classes: d.classes, channels: d.channels, height: d.height, width: d.width, images: d.images, labels: d.labels,
    trainIndices: d.trainIndices, valIndices: d.valIndices, mean: d.mean, std: d.std, ...(d.fit ? { fit: d.fit } : {}),
  };
}

/** Asks the backend now for the algorithm each conv layer and phase will record, as the first
 *  step would: a forced algorithm is only noted when asked, and the panel should show it before
 *  that step, not after. A tuned choice is merely read back. */
function noteConvChoices(be: WebGpuBackend, layers: readonly ConvLayerProblem[]): void {
  for (const { geometry, readsImages } of layers) {
    be.convChooser.algorithm(geometry, 'forward');
    if (!readsImages) be.convChooser.algorithm(geometry, 'grad-input');
    be.convChooser.algorithm(geometry, 'grad-weight');
  }
}

/** Collects step metrics and posts them together at most every STEP_POST_MS. */
class StepPoster {
  private buffered: StepMetrics[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** `afterFlush`: a chance to post what else changed with these steps (new kernel choices). */
  constructor(private readonly post: (m: FromWorker) => void, private readonly afterFlush: () => void = () => undefined) {}

  push(m: StepMetrics): void {
    this.buffered.push(m);
    this.timer ??= setTimeout(() => this.flush(), STEP_POST_MS);
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffered.length === 0) return;
    const metrics = this.buffered;
    this.buffered = [];
    this.post({ type: 'steps', metrics });
    this.afterFlush();
  }
}
