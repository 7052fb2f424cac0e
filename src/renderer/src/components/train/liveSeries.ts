// The live training series, kept OUTSIDE Vue's reactivity: growable typed arrays written by the
// worker's messages, read by the charts through subarray views. Thousands of points per series
// would be thousands of proxies and dependency records if they were reactive; here a push is a
// store into a Float64Array, and the charts learn about new points from one revision counter
// that is bumped at most once per animation frame.

import type { EpochMetrics, StepMetrics } from '../../../../engine/train/types';
import { isBetterValidation } from '../../../../shared/runRecord';

/** The best validation so far (higher accuracy; a tie goes to the lower loss), and where. */
export interface BestValidation {
  accuracy: number;
  loss: number;
  /** The epoch it was measured after (a run that ended mid-epoch: the epoch it ended in). */
  epoch: number;
  step: number;
}

/** A Float64Array that doubles when full; view() is the filled part. */
export class Growable {
  private data = new Float64Array(256);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  last(): number {
    return this.length > 0 ? this.data[this.length - 1]! : NaN;
  }
}

/** The phases a kernel time is stacked by, in the order of a step. */
export const KERNEL_PHASES = ['data', 'forward', 'loss', 'grad-input', 'grad-weight', 'grad-bias', 'optimizer', 'metrics'] as const;

export class LiveSeries {
  readonly step = new Growable();
  readonly loss = new Growable();
  readonly accuracy = new Growable();
  readonly lr = new Growable();
  readonly imagesPerSecond = new Growable();
  /** Seconds of training since the run started (sessions of a resumed run follow each other). */
  readonly time = new Growable();
  /** Wall-clock ms since the Unix epoch of each step (NaN where unknown). */
  readonly wall = new Growable();

  readonly epochStep = new Growable();
  readonly valLoss = new Growable();
  readonly valAccuracy = new Growable();
  readonly trainLoss = new Growable();
  readonly trainAccuracy = new Growable();
  /** Epoch number of each validation point. */
  readonly valEpoch = new Growable();
  best: BestValidation | null = null;

  /** Per parameter ('0.weight', '0.bias', …): gradient L2 norm at each step (x = step). */
  readonly gradNorms = new Map<string, Growable>();

  /** Steps that carried kernel timings, and the GPU ms of each phase in them (the trend). */
  readonly kernelStep = new Growable();
  readonly phaseTrend = new Map<string, Growable>();
  /** Σ ms and count per layer|phase, for the mean per step (the stacked bars). */
  readonly layerPhaseSum = new Map<string, number>();
  kernelSteps = 0;
  layers: string[] = [];
  timing: 'timestamp' | 'coarse' | null = null;

  addStep(m: StepMetrics, wallMs = NaN): void {
    this.step.push(m.step);
    this.wall.push(wallMs);
    this.loss.push(m.loss);
    this.accuracy.push(m.accuracy);
    this.lr.push(m.lr);
    this.imagesPerSecond.push(m.imagesPerSecond);
    this.time.push(m.elapsed);
    this.timing = m.timing;
    for (const [name, norm] of Object.entries(m.gradNorms)) {
      let g = this.gradNorms.get(name);
      if (!g) {
        g = new Growable();
        // A parameter first seen late (never, in practice) is padded so x and y stay aligned.
        for (let i = 0; i < this.step.length - 1; i++) g.push(NaN);
        this.gradNorms.set(name, g);
      }
      g.push(norm);
    }
    if (m.kernelTimes) this.addKernelTimes(m.step, m.kernelTimes);
  }

  addEpoch(m: EpochMetrics): void {
    this.epochStep.push(m.step);
    this.valLoss.push(m.valLoss);
    this.valAccuracy.push(m.valAccuracy);
    this.trainLoss.push(m.trainLoss);
    this.trainAccuracy.push(m.trainAccuracy);
    this.valEpoch.push(m.epoch);
    this.noteValidation(m.valAccuracy, m.valLoss, m.epoch, m.step);
  }

  private noteValidation(accuracy: number, loss: number, epoch: number, step: number): void {
    if (isBetterValidation({ accuracy, loss }, this.best)) this.best = { accuracy, loss, epoch, step };
  }

  /** Seconds since the start at each of `steps` (each must be a logged step or between two): for
   *  validation points on a time axis. Steps are ascending in both. */
  timeAt(steps: ArrayLike<number>, clock = false): Float64Array {
    const xs = this.step.view();
    const ts = clock ? this.wall.view() : this.time.view();
    const out = new Float64Array(steps.length);
    let j = 0;
    for (let i = 0; i < steps.length; i++) {
      const target = steps[i]!;
      while (j < xs.length - 1 && xs[j]! < target) j++;
      out[i] = xs.length > 0 && xs[j] === target ? ts[j]! : NaN;
    }
    return out;
  }

  /** The validation of a run that ended mid-epoch (stopped, or capped by max steps): the trainer
   *  reports it only in its summary, but it belongs on the curve. */
  addFinalValidation(step: number, valLoss: number, valAccuracy: number, epoch = NaN): void {
    if (!Number.isFinite(valLoss) || this.epochStep.last() === step) return;
    this.epochStep.push(step);
    this.valLoss.push(valLoss);
    this.valAccuracy.push(valAccuracy);
    this.trainLoss.push(NaN);
    this.trainAccuracy.push(NaN);
    this.valEpoch.push(epoch);
    this.noteValidation(valAccuracy, valLoss, epoch, step);
  }

  /** Labels are "layer|phase|kernel" (the GPU profiler's pass labels). */
  private addKernelTimes(step: number, times: Record<string, number>): void {
    const perPhase = new Map<string, number>();
    for (const [label, ms] of Object.entries(times)) {
      const [layer = '', phase = 'unscoped'] = label.split('|');
      perPhase.set(phase, (perPhase.get(phase) ?? 0) + ms);
      const key = `${layer}|${phase}`;
      this.layerPhaseSum.set(key, (this.layerPhaseSum.get(key) ?? 0) + ms);
      if (!this.layers.includes(layer)) this.layers = [...this.layers, layer].sort(compareLayers);
    }
    this.kernelStep.push(step);
    this.kernelSteps++;
    for (const phase of new Set([...this.phaseTrend.keys(), ...perPhase.keys()])) {
      let g = this.phaseTrend.get(phase);
      if (!g) {
        g = new Growable();
        for (let i = 0; i < this.kernelStep.length - 1; i++) g.push(0);
        this.phaseTrend.set(phase, g);
      }
      g.push(perPhase.get(phase) ?? 0);
    }
  }

  /** Mean GPU ms per step of each layer, stacked by phase: the bars of the kernel-time chart. */
  meanByLayerAndPhase(): { layers: string[]; stacks: Array<{ name: string; values: Array<number | null> }> } {
    const phases = KERNEL_PHASES.filter((p) => this.layers.some((l) => this.layerPhaseSum.has(`${l}|${p}`)));
    const extra = [...new Set([...this.layerPhaseSum.keys()].map((k) => k.split('|')[1]!))].filter((p) => !(KERNEL_PHASES as readonly string[]).includes(p));
    const stacks = [...phases, ...extra].map((phase) => ({
      name: phase,
      values: this.layers.map((layer) => {
        const sum = this.layerPhaseSum.get(`${layer}|${phase}`);
        return sum === undefined ? null : sum / Math.max(1, this.kernelSteps);
      }),
    }));
    return { layers: this.layers, stacks };
  }
}

/** Layers in model order: 'data' first, then '0.conv2d', '1.relu', … by index, then the rest. */
function compareLayers(a: string, b: string): number {
  const rank = (s: string): number => (s === 'data' ? -1 : /^\d+/.test(s) ? parseInt(s, 10) : 1e6);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** Fractions (0..1) as percentages, for every accuracy the app shows: a new array. */
export function percentOf(fractions: ArrayLike<number>): Float64Array {
  const out = new Float64Array(fractions.length);
  for (let i = 0; i < fractions.length; i++) out[i] = 100 * fractions[i]!;
  return out;
}
