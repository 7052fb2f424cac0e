// One training run inside the worker: the same wiring as `convlab train` (src/cli/commands/
// train.ts) with navigator.gpu instead of Dawn, and messages to the UI instead of a run writer.
// The UI thread writes the run (lab.runs.*); the worker only computes and reports.

import { parseJson } from '../../../engine/model/parseJson';
import { inferShapes } from '../../../engine/model/infer';
import type { TrainControl } from '../../../engine/train/control';
import { checkBatchFits } from '../../../engine/train/memory';
import { Trainer } from '../../../engine/train/trainer';
import { gpuStepTimer } from '../../../engine/train/timer';
import type { NamedTensor, StepMetrics } from '../../../engine/train/types';
import { tuneModel } from '../../../engine/webgpu/autotune/tuneModel';
import type { GpuContext } from '../../../engine/webgpu/context';
import { WebGpuBackend } from '../../../engine/webgpu/webgpuBackend';
import { openGpuContext, watchDeviceLoss } from './gpuSession';
import { IndexedDbAutotuneStore } from './indexedDbAutotuneStore';
import { type ConvLayerProblem, convLayersOf, KernelReporter } from './kernelReport';
import type { FromWorker, ToWorker, WireTensor } from './protocol';

/** How often buffered step metrics are posted (ms): a few times per animation frame budget. */
const STEP_POST_MS = 50;

export type StartMessage = Extract<ToWorker, { type: 'start' }>;

/** The dataset the worker fetched itself (browser mode), reported with 'started' for the run record. */
export interface TrainedDataset {
  id: string;
  name: string;
}

export interface TrainJob {
  post(message: FromWorker): void;
  control: TrainControl;
  /** Called with the context as soon as it exists, so the caller can attribute errors to it. */
  onContext(ctx: GpuContext): void;
}

export async function runTraining(start: StartMessage, job: TrainJob, dataset?: TrainedDataset): Promise<void> {
  // The spec passed zod's envelope check; the engine's own parser checks every layer.
  const spec = parseJson(start.config.spec);
  const config = { ...start.config, spec };
  const shapes = inferShapes(spec, config.batchSize);
  if (shapes.outputSize !== start.data.classes) {
    throw new Error(`the model ends with ${shapes.outputSize} outputs but the dataset has ${start.data.classes} classes: end the model with linear(${start.data.classes})`);
  }

  const ctx = await openGpuContext();
  job.onContext(ctx);
  job.post({ type: 'adapter', adapter: ctx.adapter });
  // A loss while the trainer waits (paused) would otherwise go unnoticed until resume.
  watchDeviceLoss(ctx, () => job.control.stop());
  try {
    checkBatchFits(shapes, ctx.device.limits.maxStorageBufferBindingSize);
    const convAlgorithm = start.convAlgorithm ?? 'auto';
    const autotuneStore = new IndexedDbAutotuneStore();
    const be = new WebGpuBackend(ctx, { convAlgorithm, autotuneStore });
    const timer = gpuStepTimer(ctx);

    let kernels: KernelReporter | null = null;
    const steps = new StepPoster(job.post, () => kernels?.update());
    const trainer = new Trainer(be, config, start.data, {
      control: job.control,
      timer,
      hooks: {
        onStep: (m) => steps.push(m),
        onEpoch: (m) => {
          steps.flush();
          job.post({ type: 'epoch', metrics: m });
        },
        onCheckpoint: async (c) => {
          steps.flush();
          job.post({ type: 'checkpoint', epoch: c.epoch, step: c.step, model: c.model.map(wire), optimizer: c.optimizer.map(wire) });
        },
      },
    });
    job.post({ type: 'started', totalSteps: trainer.totalSteps, stepsPerEpoch: trainer.stepsPerEpoch, parameters: trainer.optimizer.params.map((p) => p.name), ...(dataset ? { dataset } : {}) });

    // Like `convlab train` (and cudnn.benchmark): time each conv layer's algorithms and tiles on
    // this adapter the first time its shape is seen; tuneModel saves the choices, so the next
    // launch finds them cached. A forced algorithm still tunes the GEMM tiles its im2col path
    // uses. Seconds on a software adapter, hence a state of its own rather than a silent pause.
    job.post({ type: 'state', state: 'tuning' });
    const input = [config.batchSize, ...spec.input];
    await tuneModel(be, trainer.model, input);
    const convLayers = convLayersOf(trainer.model.layers, input);
    noteConvChoices(be, convLayers);
    kernels = new KernelReporter(be, convLayers, convAlgorithm, config.batchSize, (report) => job.post({ type: 'kernels', report }), () => autotuneStore.lastSaveError);
    kernels.update();

    // Stopped while tuning: the trainer stops before its first step; 'running' would contradict 'stopping'.
    if (!job.control.stopRequested) job.post({ type: 'state', state: 'running' });
    const summary = await trainer.run();
    steps.flush();
    kernels.update();
    // A device lost mid-run stops the control; that is a failure, not a user's stop.
    ctx.throwIfBroken();
    job.post({ type: 'done', summary });
  } finally {
    ctx.dispose();
  }
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

/** The trainer's tensors own their buffers (Float32Array.from), so they can be transferred. */
function wire(t: NamedTensor): WireTensor {
  return { name: t.name, shape: t.shape, data: t.data };
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
