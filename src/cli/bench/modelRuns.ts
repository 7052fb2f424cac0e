// `convlab bench` per model: images/s, GPU ms per step and memory of a training step, measured
// in two parts. First the model trains on the shared device with a step tuner until its kernels
// are decided (cached in the bench home, so a second bench run skips this); then it trains again
// on a fresh device — so the memory figures are this model's alone and the pipelines compile as
// for a user — for a few warm-up steps and `steps` timed ones. The data are seeded random bytes
// of the model's input shape: throughput does not depend on the pixels.

import { createNodeContext } from '../nodeGpu';
import { DEFAULT_OPTIMIZER } from '../../engine/optim/optimizer';
import { parseSchedule } from '../../engine/optim/schedule';
import { TrainControl } from '../../engine/train/control';
import { gpuStepTimer } from '../../engine/train/timer';
import { Trainer } from '../../engine/train/trainer';
import type { StepMetrics, TrainData } from '../../engine/train/types';
import { type AutotuneStore, MemoryAutotuneStore, median } from '../../engine/webgpu/autotune/autotuner';
import { tuneModel } from '../../engine/webgpu/autotune/tuneModel';
import { StepTuner } from '../../engine/webgpu/autotune/stepTuner';
import type { GpuContext } from '../../engine/webgpu/context';
import { WebGpuBackend } from '../../engine/webgpu/webgpuBackend';
import { resolveModel } from '../train/options';

export interface BenchModel {
  name: string;
  /** Model text or a preset id. */
  model: string;
  input: [number, number, number];
}

/** The models `convlab bench` measures beside the reference model (--models picks some). */
export const BENCH_MODELS: readonly BenchModel[] = [
  { name: 'wide', model: 'conv(32,3,p=1) relu maxpool(2) conv(64,3,p=1) relu maxpool(2) flatten linear(10)', input: [1, 28, 28] },
  { name: 'lenet5', model: 'lenet5', input: [1, 28, 28] },
  { name: 'cifar-small', model: 'cifar-small', input: [3, 32, 32] },
  { name: 'resnet8', model: 'resnet8', input: [3, 32, 32] },
  { name: 'resnet20', model: 'resnet20', input: [3, 32, 32] },
];

/** Where the bytes of a step go, at the moment the most pooled memory is in use. */
export interface StepMemoryReport {
  parameters_gradients_optimizer: number;
  /** Forward outputs the backward pass reads (layer outputs, pool argmax, batch-norm statistics, the batch). */
  activations: number;
  /** Gradients of the activations (each layer's dInput, dLogits). */
  activation_gradients: number;
  /** Workspaces: im2col column matrices, split-K and grad-weight partial sums, reduction scratch. */
  scratch: number;
  /** The dataset on the device. */
  dataset: number;
  in_use_peak_bytes: number;
}

export interface ModelReport {
  name: string;
  model: string;
  input: [number, number, number];
  batch: number;
  images_per_second: number;
  ms_per_step: number;
  gpu_ms_per_step: number;
  steps_timed: number;
  /** Training steps the step tuner used on the shared device (1: everything was cached). */
  tuning_steps: number;
  dispatches_per_step: number;
  /** Pooled GPU memory allocated at the peak, on a device that ran only this model. */
  peak_gpu_bytes: number;
  memory: StepMemoryReport;
}

/** Which part of a training step a pooled buffer belongs to, from its label (the labels the
 *  engine gives: nn layers, tape temporaries, the trainer's and kernels' workspaces). */
export function memoryCategory(label: string): keyof Omit<StepMemoryReport, 'in_use_peak_bytes'> {
  if (/\.(weight|bias)(\.grad|\.momentum_buffer|\.exp_avg|\.exp_avg_sq)?$|\.running_(mean|var)$/.test(label)) return 'parameters_gradients_optimizer';
  if (label.startsWith('dataset-')) return 'dataset';
  if (/\.(dInput|dPadded)$/.test(label) || label === 'dLogits') return 'activation_gradients';
  if (/\.(out|padded|argmax|mask|saveMean|saveInvStd|zeros)$/.test(label) || label.startsWith('batch-')) return 'activations';
  return 'scratch';
}

/** Seeded bytes in the model's input shape, `n` images of 10 classes. */
export function syntheticData(input: [number, number, number], n: number): TrainData {
  const [channels, height, width] = input;
  const images = new Uint8Array(n * channels * height * width);
  let s = 0x2545f491;
  for (let i = 0; i < images.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    images[i] = s >>> 24;
  }
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  return {
    images, labels, channels, height, width, classes: 10, trainIndices: Uint32Array.from({ length: n }, (_, i) => i),
    valIndices: new Uint32Array(0), mean: Array(channels).fill(0.5), std: Array(channels).fill(0.25),
  };
}

const round = (v: number): number => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v);

function trainer(be: WebGpuBackend, m: BenchModel, batch: number, data: TrainData, maxSteps: number, opts: { tuner?: StepTuner; control: TrainControl; onStep(s: StepMetrics): void }) {
  const spec = resolveModel(m.model, m.input, 10);
  return new Trainer(be, {
    spec, epochs: 1_000_000, batchSize: batch, lr: 0.01, optimizer: DEFAULT_OPTIMIZER, schedule: parseSchedule('constant'), seed: 1, maxSteps, shuffle: true,
  }, data, { timer: gpuStepTimer(be.ctx), control: opts.control, ...(opts.tuner ? { stepTuning: opts.tuner } : {}), hooks: { onStep: opts.onStep } });
}

/** Train until the step tuner has decided every kernel of this model and batch (at most `maxSteps`). */
export async function tuneOnSteps(be: WebGpuBackend, m: BenchModel, batch: number, maxSteps: number): Promise<number> {
  await be.tuner.load();
  const tuner = new StepTuner(be, { batch });
  const control = new TrainControl();
  let steps = 0;
  await trainer(be, m, batch, syntheticData(m.input, 2 * batch), maxSteps, {
    tuner, control, onStep: () => {
      steps++;
      if (tuner.finished) control.stop();
    },
  }).run();
  be.picker = null;
  await be.saveTuning();
  return steps;
}

/** Tune (shared device `ctx`), then time on a fresh device with the tuned choices from `store`. */
export async function benchModel(ctx: GpuContext, store: AutotuneStore, m: BenchModel, batch: number, steps: number, maxTuneSteps: number): Promise<ModelReport> {
  const shared = new WebGpuBackend(ctx, { autotuneStore: store });
  const tuningSteps = await tuneOnSteps(shared, m, batch, maxTuneSteps);
  const fresh = await createNodeContext();
  try {
    const be = new WebGpuBackend(fresh, { autotuneStore: store });
    await be.tuner.load();
    fresh.pool.account(memoryCategory);
    // Pipelines compile in the first steps; the readback pacer then takes a few more steps to
    // learn the step time again (with 3 warm-up steps the reference model's wall time per step
    // came out 40 ms above its GPU time; after 8, at it).
    const warmup = 8;
    const control = new TrainControl();
    const marks: Array<{ time: number; gpuMs: number }> = [];
    // One epoch holds every step: an epoch's end waits for its last step's results before the
    // validation pass, so with a two-batch dataset every other step would wait for the GPU to
    // drain — a cost of epoch ends, not of steps (the peers' loops have no epochs).
    const t = trainer(be, m, batch, syntheticData(m.input, (warmup + steps) * batch), warmup + steps, {
      control, onStep: (s) => marks.push({ time: performance.now(), gpuMs: s.kernelTimes ? Object.values(s.kernelTimes).reduce((a, b) => a + b, 0) : NaN }),
    });
    await t.run();
    const timed = marks.slice(warmup);
    const first = marks[warmup - 1]!;
    const last = marks[marks.length - 1]!;
    const msPerStep = (last.time - first.time) / timed.length;
    const peak = fresh.pool.inUsePeak!;
    const cat = (k: keyof Omit<StepMemoryReport, 'in_use_peak_bytes'>): number => peak.byCategory[k] ?? 0;
    return {
      name: m.name, model: m.model, input: m.input, batch,
      images_per_second: round((batch * 1000) / msPerStep),
      ms_per_step: round(msPerStep),
      gpu_ms_per_step: round(median(timed.map((x) => x.gpuMs))),
      steps_timed: timed.length,
      tuning_steps: tuningSteps,
      // Every step records the same work, and this device ran nothing else.
      dispatches_per_step: round(fresh.dispatchCount / marks.length),
      peak_gpu_bytes: fresh.pool.peakBytes,
      memory: {
        parameters_gradients_optimizer: cat('parameters_gradients_optimizer'), activations: cat('activations'),
        activation_gradients: cat('activation_gradients'), scratch: cat('scratch'), dataset: cat('dataset'), in_use_peak_bytes: peak.bytes,
      },
    };
  } finally {
    fresh.dispose();
  }
}

export interface FirstStepReport {
  /** From building the trainer (model, weights, dataset upload) to the first step's results, with
   *  an empty autotune cache on a fresh device: pipelines compile, nothing is timed up front. */
  time_to_first_step_ms: number;
  /** Opening the device before that. */
  device_open_ms: number;
  /** The same with every candidate timed before the first step (tuneModel: what adapters
   *  without timestamp queries do, and every adapter did before tuning on the steps). */
  time_to_first_step_upfront_ms?: number;
}

/** `m` at `batch` on a fresh device with an empty autotune cache, until its first step is back. */
export async function timeToFirstStep(m: BenchModel, batch: number, upfront: boolean): Promise<FirstStepReport> {
  const once = async (tuneFirst: boolean): Promise<{ open: number; first: number }> => {
    const t0 = performance.now();
    const ctx = await createNodeContext();
    const opened = performance.now();
    try {
      const be = new WebGpuBackend(ctx, { autotuneStore: new MemoryAutotuneStore() });
      await be.tuner.load();
      const control = new TrainControl();
      let first = NaN;
      const t = trainer(be, m, batch, syntheticData(m.input, 2 * batch), 1, {
        ...(tuneFirst ? {} : { tuner: new StepTuner(be, { batch }) }), control, onStep: () => (first = performance.now()),
      });
      if (tuneFirst) await tuneModel(be, t.model, [batch, ...m.input]);
      await t.run();
      // Let the candidates' background compiles end before the device goes.
      await ctx.finish();
      return { open: opened - t0, first: first - opened };
    } finally {
      ctx.dispose();
    }
  };
  const step = await once(false);
  return {
    time_to_first_step_ms: round(step.first), device_open_ms: round(step.open),
    ...(upfront ? { time_to_first_step_upfront_ms: round((await once(true)).first) } : {}),
  };
}
