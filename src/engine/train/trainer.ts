// The training loop. Per step, everything stays on the device and goes out in one submit:
//
//   gather batch (indices → normalised images, labels) → forward (tape records) →
//   softmax cross-entropy (loss, dLogits, correct) → backward (tape, newest first) →
//   Σ grad² per parameter → optimizer step → copy [loss, correct, Σgrad²…] to one stats buffer
//
// The stats buffer and the timestamps are read back asynchronously; at most PIPELINE_DEPTH steps
// are in flight, so the CPU records step t+1 while the GPU still runs step t.

import { Random } from '../../shared/random';
import { Tape } from '../autograd/tape';
import { Tensor } from '../autograd/tensor';
import type { Backend } from '../backend';
import { Sequential } from '../nn/sequential';
import { loadStateDict, pick, readStateDict } from '../nn/stateDict';
import { Optimizer } from '../optim/optimizer';
import { learningRate } from '../optim/schedule';
import type { TrainControl } from './control';
import { describeDivergence } from './divergence';
import { ReadbackPacer } from './readbackPacer';
import { FORWARD_SHARE_OF_STEP, PassPacer } from './passPacer';
import type { StepTimer } from './timer';
import type { StepTrial, StepTuning } from './stepTuning';
import { checkModelFitsData } from './validate';
import { checkAugment, isAugmenting } from './augment';
import { augmentTable } from './augmentDraw';
import type { DeviceImages } from '../eval/logits';
import type { EpochMetrics, NamedTensor, StepMetrics, TrainConfig, TrainData, TrainSummary } from './types';

const PIPELINE_DEPTH = 2;

/** The weights after a validation pass, handed to onCheckpoint. */
export interface TrainerCheckpoint {
  /** Epochs completed and steps done. */
  epoch: number;
  step: number;
  /** True at the end of an epoch; false when training ends mid-epoch (a stop, a step cap). */
  atEpochEnd: boolean;
  /** The validation result of exactly these weights (NaN without a validation split). */
  val: { loss: number; accuracy: number };
  model: NamedTensor[];
  optimizer: NamedTensor[];
}

export interface TrainerHooks {
  onStep?(m: StepMetrics): void;
  /** Resolving to 'stop' ends training after this epoch's checkpoint, as completed (early stopping). */
  onEpoch?(m: EpochMetrics): void | 'stop' | Promise<void | 'stop'>;
  /** After every validation pass (each epoch end, and once more if training ends mid-epoch),
   *  with the model's state_dict and the optimizer state. */
  onCheckpoint?(c: TrainerCheckpoint): Promise<void>;
}

export interface TrainerOptions {
  hooks?: TrainerHooks;
  control?: TrainControl;
  timer?: StepTimer;
  /** Tune kernels on the early steps (WebGPU with timestamps): each step may run other
   *  candidates for some layers and phases, timed by that step's own timestamps. */
  stepTuning?: StepTuning;
  /** Continue a run: weights (and optimizer state) from a checkpoint, counters from where it stopped. */
  resume?: { model: NamedTensor[]; optimizer: NamedTensor[]; epoch: number; step: number };
}

interface InFlight {
  step: number;
  epoch: number;
  lr: number;
  batch: number;
  stats: Promise<Float64Array>;
  timing: Promise<Record<string, number> | undefined>;
  /** What this step timed for the step tuner, if it took part. */
  trial: StepTrial | null;
}

export class Trainer<B> {
  readonly model: Sequential<B>;
  readonly optimizer: Optimizer<B>;
  private readonly images: B;
  private readonly labels: B;
  private step = 0;
  private epoch = 0;
  private readonly started = performance.now();
  private lastRate = { time: performance.now(), images: 0 };
  private imagesSeen = 0;
  private divergence: string | undefined;
  /** The step whose weights were last validated and checkpointed (-1: none yet). */
  private validatedAt = -1;
  private latest = { loss: NaN, accuracy: NaN, imagesPerSecond: 0 };
  private epochTotals = { loss: 0, correct: 0, count: 0 };
  /** Only where waiting is costly (Dawn for Node): the CPU backend's results are ready when
   *  read, and a browser's pending map costs nothing, so waiting on a guess there only delays. */
  private readonly pacer: ReadbackPacer | null;
  /** The validation pass's readback, paced like the steps'. */
  private readonly valPacer: PassPacer | null;

  constructor(readonly be: Backend<B>, readonly config: TrainConfig, readonly data: TrainData, readonly options: TrainerOptions = {}) {
    checkModelFitsData(config.spec, data);
    checkAugment(config.augment, data);
    this.pacer = be.busyReadbackWait ? new ReadbackPacer() : null;
    this.valPacer = be.busyReadbackWait ? new PassPacer() : null;
    this.model = new Sequential(config.spec, be, config.seed);
    this.optimizer = new Optimizer(be, this.model.parameters(), config.optimizer);
    be.setScope({ layer: 'data', phase: 'data' });
    this.images = be.uploadBytes(data.images, 'dataset-images');
    this.labels = be.uploadBytes(data.labels, 'dataset-labels');
    if (options.resume) this.restore(options.resume);
  }

  /** The dataset's images as they sit on the device, for evaluation passes over them. */
  get deviceImages(): DeviceImages<B> {
    const d = this.data;
    return { images: this.images, channels: d.channels, height: d.height, width: d.width, mean: d.mean, std: d.std };
  }

  get stepsPerEpoch(): number {
    return Math.ceil(this.data.trainIndices.length / this.config.batchSize);
  }

  get totalSteps(): number {
    const all = this.config.epochs * this.stepsPerEpoch;
    return this.config.maxSteps !== undefined ? Math.min(all, this.config.maxSteps) : all;
  }

  async run(): Promise<TrainSummary> {
    const { config, options } = this;
    const control = options.control;
    const inFlight: InFlight[] = [];
    let status: TrainSummary['status'] = 'completed';
    let lastVal = { loss: NaN, accuracy: NaN };

    outer: for (; this.epoch < config.epochs; ) {
      const order = this.epochOrder(this.epoch);
      const firstStepOfEpoch = this.epoch * this.stepsPerEpoch;
      this.epochTotals = { loss: 0, correct: 0, count: 0 };
      const epochStart = performance.now();
      for (let s = this.step - firstStepOfEpoch; s < this.stepsPerEpoch; s++) {
        if (this.step >= this.totalSteps) break outer;
        await control?.checkpoint();
        if (control?.stopRequested) { status = 'stopped'; break outer; }
        const batch = order.subarray(s * config.batchSize, Math.min(order.length, (s + 1) * config.batchSize));
        inFlight.push(this.trainStep(batch));
        this.step++;
        await this.yieldToEventLoop();
        while (inFlight.length > PIPELINE_DEPTH) await this.finishStep(inFlight.shift()!);
        if (this.divergence) { status = 'diverged'; break outer; }
      }
      while (inFlight.length) await this.finishStep(inFlight.shift()!);
      if (this.divergence) { status = 'diverged'; break; }
      lastVal = await this.evaluate();
      this.epoch++;
      const m: EpochMetrics = {
        kind: 'epoch', epoch: this.epoch, step: this.step,
        trainLoss: this.epochTotals.loss / Math.max(1, this.epochTotals.count),
        trainAccuracy: this.epochTotals.correct / Math.max(1, this.epochTotals.count),
        valLoss: lastVal.loss, valAccuracy: lastVal.accuracy, seconds: (performance.now() - epochStart) / 1000,
      };
      const verdict = await options.hooks?.onEpoch?.(m);
      await this.saveCheckpoint(true, lastVal);
      if (verdict === 'stop') break;
    }
    while (inFlight.length) await this.finishStep(inFlight.shift()!);
    if (this.divergence) status = 'diverged';
    if (status !== 'diverged' && this.step > 0 && this.validatedAt !== this.step) {
      // Stopped (or capped by maxSteps) mid-epoch: still report validation for the weights we have.
      lastVal = await this.evaluate();
      await this.saveCheckpoint(false, lastVal);
    }
    return {
      status, epochs: this.epoch, steps: this.step,
      trainLoss: this.latest.loss, valLoss: lastVal.loss, valAccuracy: lastVal.accuracy,
      imagesPerSecond: this.latest.imagesPerSecond, divergence: this.divergence,
    };
  }

  /** The model's state_dict (PyTorch names) and the optimizer state, read back from the device. */
  async stateDict(): Promise<{ model: NamedTensor[]; optimizer: NamedTensor[] }> {
    const model = await readStateDict(this.model, this.be);
    const optimizer: NamedTensor[] = [{ name: 'step', shape: [], data: Float32Array.of(this.optimizer.steps) }];
    for (const p of this.model.parameters()) {
      for (const [key, t] of p.state) optimizer.push({ name: `${p.name}.${key}`, shape: [...p.shape], data: Float32Array.from(await this.be.read(t)) });
    }
    return { model, optimizer };
  }

  // The CPU backend finishes a step synchronously, so without this the loop would only ever
  // run microtasks: timers (the run store's one-second flush), signals and worker messages
  // (pause, stop) would wait for the end of training.
  private lastYield = performance.now();
  private async yieldToEventLoop(): Promise<void> {
    if (performance.now() - this.lastYield < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.lastYield = performance.now();
  }

  // --- one step -------------------------------------------------------------------------------

  private trainStep(batchIndices: Uint32Array): InFlight {
    const { be, config, data, model } = this;
    const n = batchIndices.length;
    const lr = learningRate(config.lr, config.schedule, this.step, this.epoch, this.totalSteps);
    const timer = this.options.timer;
    const tuning = this.options.stepTuning;
    // Before the timer starts: the tuner may record its candidates' checks, untimed.
    const trial = tuning?.beginStep(this.step, n) ?? null;
    timer?.beginStep();
    const tape = new Tape(be, true);

    be.setScope({ layer: 'data', phase: 'data' });
    const indices = be.uploadU32(batchIndices, 'batch-indices');
    const x = tape.temp(n * data.channels * data.height * data.width, 'batch-images');
    const gather = { count: n, channels: data.channels, height: data.height, width: data.width, mean: data.mean, std: data.std };
    // Augmentation draws from (seed, step, slot), so a resumed run sees the crops it would have.
    const augment = isAugmenting(config.augment) ? be.upload(augmentTable(config.augment, config.seed, this.step, n, data.height, data.width), 'augment-params') : null;
    if (augment) be.gatherBatchAugmented(gather, this.images, indices, augment, x);
    else be.gatherBatch(gather, this.images, indices, x);
    const targets = tape.temp(n, 'batch-targets');
    be.gatherLabels(n, this.labels, indices, targets);

    const logits = model.forward(new Tensor(x, [n, data.channels, data.height, data.width], false), { be, tape, training: true, stepSeed: mixSeed(config.seed, this.step) });

    const params = this.optimizer.params;
    const stats = tape.temp(2 + params.length, 'step-stats');
    be.setScope({ layer: 'loss', phase: 'loss' });
    const loss = tape.temp(1, 'loss');
    const correct = tape.temp(1, 'correct');
    logits.grad = tape.temp(logits.size, 'dLogits');
    be.crossEntropy(n, data.classes, logits.data, targets, loss, logits.grad, correct, config.labelSmoothing ?? 0);
    tape.backward();

    be.setScope({ layer: 'metrics', phase: 'metrics' });
    be.copy(loss, 0, stats, 0, 1);
    be.copy(correct, 0, stats, 1, 1);
    params.forEach((p, i) => be.sumSquares(p.shape.reduce((a, b) => a * b, 1), p.grad, stats, 2 + i));
    this.optimizer.step(lr);
    be.setScope(null);
    if (trial) tuning!.endRecording();

    const handle = timer?.endStep();
    // The step's one submit happens inside read(); the wait for its results starts once the
    // pacer expects the step to be done.
    const paced = this.pacer?.submitted();
    const statsPromise = be.read(stats, { notBefore: paced?.ready });
    statsPromise.then(() => paced?.done(), () => paced?.done());
    const kernels = timer ? statsPromise.then(() => timer.collect(handle)) : Promise.resolve(null);
    if (trial) kernels.then((list) => tuning!.observe(trial, list), () => tuning!.observe(trial, null));
    const timing = kernels.then((list) => (list ? groupTimings(list) : undefined));
    // If training ends early (an error, a stop) these may never be awaited: keep their
    // rejections from becoming unhandled. finishStep still sees them when it awaits.
    statsPromise.catch(() => undefined);
    timing.catch(() => undefined);
    be.release(indices);
    if (augment) be.release(augment);
    tape.reset();
    return { step: this.step, epoch: this.epoch, lr, batch: n, stats: statsPromise, timing, trial };
  }

  private async finishStep(f: InFlight): Promise<void> {
    const stats = await f.stats;
    const kernelTimes = await f.timing.catch(() => undefined);
    const params = this.optimizer.params;
    const loss = stats[0]!;
    const accuracy = stats[1]! / f.batch;
    const gradNorms: Record<string, number> = {};
    params.forEach((p, i) => (gradNorms[p.name] = Math.sqrt(stats[2 + i]!)));
    if (!Number.isFinite(loss) || Object.values(gradNorms).some((v) => !Number.isFinite(v))) {
      this.divergence ??= describeDivergence(f.step, loss, params.map((p) => p.name), gradNorms);
    }
    this.imagesSeen += f.batch;
    const now = performance.now();
    const elapsed = (now - this.lastRate.time) / 1000;
    if (elapsed > 0.25) {
      this.latest.imagesPerSecond = (this.imagesSeen - this.lastRate.images) / elapsed;
      this.lastRate = { time: now, images: this.imagesSeen };
    }
    this.latest.loss = loss;
    this.latest.accuracy = accuracy;
    if (Number.isFinite(loss)) {
      this.epochTotals.loss += loss * f.batch;
      this.epochTotals.correct += stats[1]!;
      this.epochTotals.count += f.batch;
    }
    this.options.hooks?.onStep?.({
      kind: 'step', step: f.step + 1, epoch: f.epoch, loss, accuracy, lr: f.lr,
      imagesPerSecond: this.latest.imagesPerSecond, gradNorms, kernelTimes,
      timing: this.options.timer?.kind ?? 'coarse', elapsed: (now - this.started) / 1000,
      ...(f.trial?.description ? { tuning: f.trial.description } : {}),
    });
  }

  // --- evaluation, checkpoints ----------------------------------------------------------------

  /** Mean loss and accuracy over the validation split, in eval mode, read back once. */
  async evaluate(batchSize = Math.max(this.config.batchSize, 256)): Promise<{ loss: number; accuracy: number }> {
    const { be, data, model } = this;
    const val = data.valIndices;
    if (val.length === 0) return { loss: NaN, accuracy: NaN };
    const batches = Math.ceil(val.length / batchSize);
    const sums = be.zeros(2 * batches, 'val-sums');
    for (let b = 0; b < batches; b++) {
      const idx = val.subarray(b * batchSize, Math.min(val.length, (b + 1) * batchSize));
      const n = idx.length;
      const tape = new Tape(be, false);
      be.setScope({ layer: 'data', phase: 'data' });
      const indices = be.uploadU32(idx, 'val-indices');
      const x = tape.temp(n * data.channels * data.height * data.width, 'val-images');
      be.gatherBatch({ count: n, channels: data.channels, height: data.height, width: data.width, mean: data.mean, std: data.std }, this.images, indices, x);
      const targets = tape.temp(n, 'val-targets');
      be.gatherLabels(n, this.labels, indices, targets);
      const logits = model.forward(new Tensor(x, [n, data.channels, data.height, data.width], false), { be, tape, training: false, stepSeed: 0 });
      be.setScope({ layer: 'loss', phase: 'loss' });
      const loss = tape.temp(1, 'val-loss');
      const correct = tape.temp(1, 'val-correct');
      be.crossEntropy(n, data.classes, logits.data, targets, loss, tape.temp(logits.size, 'val-dLogits'), correct);
      be.copy(loss, 0, sums, 2 * b, 1);
      be.copy(correct, 0, sums, 2 * b + 1, 1);
      be.setScope(null);
      be.release(indices);
      tape.reset();
    }
    const stepMs = this.pacer?.estimateMs ?? null;
    const paced = this.valPacer?.submitted(val.length, stepMs === null ? null : (stepMs * FORWARD_SHARE_OF_STEP * val.length) / this.config.batchSize);
    const got = await be.read(sums, { notBefore: paced?.ready }).finally(() => paced?.done());
    be.release(sums);
    let loss = 0;
    let correct = 0;
    for (let b = 0; b < batches; b++) {
      const n = Math.min(val.length, (b + 1) * batchSize) - b * batchSize;
      loss += got[2 * b]! * n;
      correct += got[2 * b + 1]!;
    }
    return { loss: loss / val.length, accuracy: correct / val.length };
  }

  private async saveCheckpoint(atEpochEnd: boolean, val: { loss: number; accuracy: number }): Promise<void> {
    this.validatedAt = this.step;
    const hook = this.options.hooks?.onCheckpoint;
    if (!hook) return;
    const state = await this.stateDict();
    await hook({ epoch: this.epoch, step: this.step, atEpochEnd, val, ...state });
  }

  private restore(r: NonNullable<TrainerOptions['resume']>): void {
    loadStateDict(this.model, this.be, r.model);
    const opt = new Map(r.optimizer.map((t) => [t.name, t]));
    this.optimizer.steps = opt.get('step')?.data[0] ?? 0;
    for (const p of this.model.parameters()) {
      for (const key of ['momentum_buffer', 'exp_avg', 'exp_avg_sq']) {
        const name = `${p.name}.${key}`;
        if (opt.has(name)) p.state.set(key, this.be.upload(pick(opt, name, p.shape), name));
      }
    }
    this.epoch = r.epoch;
    this.step = r.step;
    this.validatedAt = r.step; // the checkpoint resumed from was validated when it was saved
  }

  private epochOrder(epoch: number): Uint32Array {
    const order = Uint32Array.from(this.data.trainIndices);
    if (this.config.shuffle) new Random(mixSeed(this.config.seed ^ 0x5eed, epoch)).shuffle(order);
    return order;
  }
}

/** A 32-bit mix of the run seed and a counter (splitmix-style), for per-step streams. */
export function mixSeed(seed: number, counter: number): number {
  let z = (seed + Math.imul(counter + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function groupTimings(list: Array<{ label: string; ms: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of list) out[t.label] = (out[t.label] ?? 0) + t.ms;
  return out;
}
