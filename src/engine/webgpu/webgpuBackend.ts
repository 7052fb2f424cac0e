// The WebGPU backend: every op records WGSL dispatches into the context's pending encoder.

import type { Backend, ConvAlgorithm, KernelScope, ReadOptions } from '../backend';
import type { Conv2dGeometry } from '../conv/geometry';
import { explicitConvBackwardBias } from '../conv/explicitConv';
import type { GemmSpec } from '../gemm';
// Training ops (BatchNorm, loss, optimizers, reductions, batch assembly).
import type { AdamOptions, BatchNormGeometry, GatherBatchOptions, Pad2dGeometry, SgdOptions, SmoothActivation } from '../backend';
import { batchNorm2dBackwardGpu, batchNorm2dEvalGpu, batchNorm2dTrainGpu } from './ops/batchNorm';
import { gatherBatchGpu, gatherLabelsGpu, uploadBytesGpu, uploadU32Gpu } from './ops/batch';
import { gatherBatchAugmentedGpu } from './ops/augmentBatch';
import { crossEntropyGpu } from './ops/crossEntropy';
import { adamStepGpu, sgdStepGpu } from './ops/optim';
import { fillGpu, scaleAddGpu, sumSquaresGpu } from './ops/reduce';
import type { GpuContext } from './context';
import type { GpuTensor } from './gpuTensor';
import { biasAddGpu, biasGradGpu, col2imGpu, im2colGpu } from './ops/convPrimitives';
// Activations, pools, dropout.
import type { Pool2dGeometry } from '../pool/geometry';
import { activationBackwardGpu, activationGpu, leakyReluBackwardGpu, leakyReluGpu, reluBackwardGpu, reluGpu } from './ops/activation';
import { pad2dBackwardGpu, pad2dGpu } from './ops/pad';
import { dropoutBackwardGpu, dropoutGpu } from './ops/dropout';
import { avgPool2dBackwardGpu, avgPool2dGpu, maxPool2dBackwardGpu, maxPool2dGpu } from './ops/pool';
// GEMM configs chosen per shape and adapter (autotuned, stored, or heuristic).
import { type AutotuneStore, Autotuner, type TuneChoice, adapterKey } from './autotune/autotuner';
import type { GemmConfig } from './autotune/gemmConfigs';
import { GemmTuning } from './autotune/gemmTuning';
import { gemmTiledGpu } from './ops/gemmTiled';
import { forwardGemm, gradInputGemm, gradWeightGemm } from '../conv/gemmPlan';
// Conv algorithms beside im2col (implicit GEMM, direct), chosen per layer and phase.
import { ConvAlgorithmChooser, type ConvPhase } from './ops/convAlgorithmsChoice';
import { tuneConvAlgorithms } from './ops/convAlgorithmsTune';
import { type ConvPhaseIo, type ConvVariant, defaultConvVariant, recordConvVariant } from './ops/convVariants';

export interface WebGpuBackendOptions {
  /** Where autotuning results persist between processes (the CLI: <home>/cache/autotune.json). */
  autotuneStore?: AutotuneStore;
  /** Conv algorithm for every layer, or 'auto' (default): tuned per layer and phase. */
  convAlgorithm?: ConvAlgorithm;
}

/** Lets the step tuner (autotune/stepTuner.ts) say which candidate a conv phase or a GEMM runs
 *  in the step being recorded; null: the tuned (or heuristic) choice. */
export interface KernelPicker {
  conv(g: Conv2dGeometry, phase: ConvPhase, scope: KernelScope | null): ConvVariant | null;
  gemm(spec: GemmSpec, scope: KernelScope | null): GemmConfig | null;
}

export class WebGpuBackend implements Backend<GpuTensor> {
  readonly kind = 'webgpu' as const;
  get busyReadbackWait(): boolean {
    return this.ctx.busyReadbackWait;
  }
  readonly tuner: Autotuner;
  readonly gemmTuning: GemmTuning;
  readonly convChooser: ConvAlgorithmChooser;
  picker: KernelPicker | null = null;
  /** Inside an im2col conv phase: the GEMM config it runs (null: the tuned one); undefined
   *  outside, where a GEMM is a problem of its own (a linear layer's). */
  private convGemm: GemmConfig | null | undefined = undefined;

  constructor(readonly ctx: GpuContext, options: WebGpuBackendOptions = {}) {
    this.tuner = new Autotuner(adapterKey(ctx.adapter), options.autotuneStore ?? null);
    // A software adapter spreads workgroups over a few CPU cores; a GPU wants many more. Timing
    // on a CPU adapter is slow, so it gets a shorter candidate list.
    this.gemmTuning = new GemmTuning(ctx, this.tuner, ctx.adapter.isSoftware ? 16 : 256, ctx.adapter.isSoftware ? 4 : 24);
    this.convChooser = new ConvAlgorithmChooser(this.tuner, options.convAlgorithm ?? 'auto', ctx.adapter.isSoftware);
  }

  /** Read stored tuning results for this adapter; then time whatever a conv layer of this
   *  geometry still lacks (each GEMM of its forward and backward). */
  async tuneConv(g: Conv2dGeometry): Promise<void> {
    await this.tuner.load();
    await this.gemmTuning.tune(forwardGemm(g), 'forward');
    await this.gemmTuning.tune(gradInputGemm(g), 'grad-input');
    await this.gemmTuning.tune(gradWeightGemm(g, false), 'grad-weight');
    await tuneConvAlgorithms(this, g);
  }
  async tuneGemm(spec: GemmSpec, phase = 'gemm'): Promise<void> {
    await this.tuner.load();
    await this.gemmTuning.tune(spec, phase);
  }
  /** Which kernel config each problem uses and why (measured, cached or heuristic). */
  describeChoices(): TuneChoice[] {
    return this.tuner.describe();
  }
  async saveTuning(): Promise<void> {
    await this.tuner.save();
  }

  upload(data: ArrayLike<number>, label: string): GpuTensor {
    return this.ctx.upload(data, label);
  }
  alloc(length: number, label: string): GpuTensor {
    return this.ctx.alloc(length, label);
  }
  zeros(length: number, label: string): GpuTensor {
    return this.ctx.upload(new Float32Array(length), label);
  }
  async read(t: GpuTensor, options?: ReadOptions): Promise<Float64Array> {
    return Float64Array.from(await this.ctx.read(t, options));
  }
  release(t: GpuTensor): void {
    this.ctx.release(t);
  }
  length(t: GpuTensor): number {
    return t.length;
  }
  flush(): void {
    this.ctx.submit();
  }
  setScope(scope: KernelScope | null): void {
    this.ctx.scope = scope;
  }
  copy(src: GpuTensor, srcOffset: number, dst: GpuTensor, dstOffset: number, length: number): void {
    this.ctx.copy(src, dst, length, srcOffset, dstOffset);
  }

  im2col(g: Conv2dGeometry, input: GpuTensor, columns: GpuTensor): void {
    im2colGpu(this.ctx, g, input, columns);
  }
  col2im(g: Conv2dGeometry, columns: GpuTensor, dInput: GpuTensor): void {
    col2imGpu(this.ctx, g, columns, dInput);
  }
  gemm(spec: GemmSpec, a: GpuTensor, b: GpuTensor, c: GpuTensor): void {
    const inConv = this.convGemm;
    const picked = inConv === undefined ? this.picker?.gemm(spec, this.ctx.scope) : inConv;
    gemmTiledGpu(this.ctx, spec, picked ?? this.gemmTuning.config(spec, this.ctx.scope?.phase), a, b, c);
  }

  /** Record `body` (one im2col conv phase) with its GEMM on `config`. */
  withConvGemm(config: GemmConfig | null, body: () => void): void {
    const saved = this.convGemm;
    this.convGemm = config;
    try {
      body();
    } finally {
      this.convGemm = saved;
    }
  }
  biasAdd(n: number, c: number, l: number, bias: GpuTensor, out: GpuTensor): void {
    biasAddGpu(this.ctx, n, c, l, bias, out);
  }
  biasGrad(n: number, c: number, l: number, dOut: GpuTensor, dBias: GpuTensor, accumulate: boolean): void {
    biasGradGpu(this.ctx, n, c, l, dOut, dBias, accumulate);
  }

  conv2dForward(g: Conv2dGeometry, input: GpuTensor, weight: GpuTensor, bias: GpuTensor | null, output: GpuTensor): void {
    this.convPhase(g, { phase: 'forward', input, weight, bias, output });
  }
  conv2dBackwardInput(g: Conv2dGeometry, dOut: GpuTensor, weight: GpuTensor, dInput: GpuTensor): void {
    this.convPhase(g, { phase: 'grad-input', dOut, weight, dInput });
  }
  conv2dBackwardWeight(g: Conv2dGeometry, input: GpuTensor, dOut: GpuTensor, dWeight: GpuTensor, accumulate: boolean): void {
    this.convPhase(g, { phase: 'grad-weight', input, dOut, dWeight, accumulate });
  }
  /** The chooser's algorithm (forced, tuned or heuristic) with its tuned knobs, unless the step
   *  tuner has this step run a candidate. */
  private convPhase(g: Conv2dGeometry, io: ConvPhaseIo): void {
    const algo = this.convChooser.algorithm(g, io.phase);
    const variant = this.picker?.conv(g, io.phase, this.ctx.scope) ?? defaultConvVariant(this, g, io.phase, algo);
    recordConvVariant(this, g, variant, io);
  }
  conv2dBackwardBias(g: Conv2dGeometry, dOut: GpuTensor, dBias: GpuTensor, accumulate: boolean): void {
    explicitConvBackwardBias(this, g, dOut, dBias, accumulate);
  }

  // --- Training ops: BatchNorm2d, cross-entropy, optimizers, reductions, batch assembly ---------
  uploadBytes(bytes: Uint8Array, label: string): GpuTensor {
    return uploadBytesGpu(this.ctx, bytes, label);
  }
  uploadU32(values: Uint32Array, label: string): GpuTensor {
    return uploadU32Gpu(this.ctx, values, label);
  }
  batchNorm2dTrain(g: BatchNormGeometry, eps: number, momentum: number, x: GpuTensor, gamma: GpuTensor, beta: GpuTensor, y: GpuTensor, saveMean: GpuTensor, saveInvStd: GpuTensor, runningMean: GpuTensor, runningVar: GpuTensor): void {
    batchNorm2dTrainGpu(this.ctx, g, eps, momentum, x, gamma, beta, y, saveMean, saveInvStd, runningMean, runningVar);
  }
  batchNorm2dEval(g: BatchNormGeometry, eps: number, x: GpuTensor, gamma: GpuTensor, beta: GpuTensor, runningMean: GpuTensor, runningVar: GpuTensor, y: GpuTensor): void {
    batchNorm2dEvalGpu(this.ctx, g, eps, x, gamma, beta, runningMean, runningVar, y);
  }
  batchNorm2dBackward(g: BatchNormGeometry, x: GpuTensor, dY: GpuTensor, gamma: GpuTensor, saveMean: GpuTensor, saveInvStd: GpuTensor, dX: GpuTensor, dGamma: GpuTensor, dBeta: GpuTensor, accumulate: boolean): void {
    batchNorm2dBackwardGpu(this.ctx, g, x, dY, gamma, saveMean, saveInvStd, dX, dGamma, dBeta, accumulate);
  }
  crossEntropy(n: number, classes: number, logits: GpuTensor, targets: GpuTensor, loss: GpuTensor, dLogits: GpuTensor, correct: GpuTensor, labelSmoothing = 0): void {
    crossEntropyGpu(this.ctx, n, classes, logits, targets, loss, dLogits, correct, labelSmoothing);
  }
  sgdStep(n: number, opts: SgdOptions, param: GpuTensor, grad: GpuTensor, momentumBuf: GpuTensor): void {
    sgdStepGpu(this.ctx, n, opts, param, grad, momentumBuf);
  }
  adamStep(n: number, opts: AdamOptions, param: GpuTensor, grad: GpuTensor, m: GpuTensor, v: GpuTensor): void {
    adamStepGpu(this.ctx, n, opts, param, grad, m, v);
  }
  sumSquares(n: number, x: GpuTensor, out: GpuTensor, outIndex: number): void {
    sumSquaresGpu(this.ctx, n, x, out, outIndex);
  }
  fill(n: number, value: number, x: GpuTensor): void {
    fillGpu(this.ctx, n, value, x);
  }
  scaleAdd(n: number, alpha: number, x: GpuTensor, y: GpuTensor): void {
    scaleAddGpu(this.ctx, n, alpha, x, y);
  }
  gatherBatch(opts: GatherBatchOptions, images: GpuTensor, indices: GpuTensor, out: GpuTensor): void {
    gatherBatchGpu(this.ctx, opts, images, indices, out);
  }
  gatherBatchAugmented(opts: GatherBatchOptions, images: GpuTensor, indices: GpuTensor, params: GpuTensor, out: GpuTensor): void {
    gatherBatchAugmentedGpu(this.ctx, opts, images, indices, params, out);
  }
  gatherLabels(count: number, labels: GpuTensor, indices: GpuTensor, out: GpuTensor): void {
    gatherLabelsGpu(this.ctx, count, labels, indices, out);
  }

  // --- Activations, pools, dropout ----------------------------------------------------------------
  relu(n: number, x: GpuTensor, y: GpuTensor): void {
    reluGpu(this.ctx, n, x, y);
  }
  reluBackward(n: number, y: GpuTensor, dY: GpuTensor, dX: GpuTensor): void {
    reluBackwardGpu(this.ctx, n, y, dY, dX);
  }
  leakyRelu(n: number, slope: number, x: GpuTensor, y: GpuTensor): void {
    leakyReluGpu(this.ctx, n, slope, x, y);
  }
  leakyReluBackward(n: number, slope: number, x: GpuTensor, dY: GpuTensor, dX: GpuTensor): void {
    leakyReluBackwardGpu(this.ctx, n, slope, x, dY, dX);
  }
  activation(kind: SmoothActivation, n: number, x: GpuTensor, y: GpuTensor): void {
    activationGpu(this.ctx, kind, n, x, y);
  }
  activationBackward(kind: SmoothActivation, n: number, saved: GpuTensor, dY: GpuTensor, dX: GpuTensor): void {
    activationBackwardGpu(this.ctx, kind, n, saved, dY, dX);
  }
  pad2d(g: Pad2dGeometry, x: GpuTensor, y: GpuTensor): void {
    pad2dGpu(this.ctx, g, x, y);
  }
  pad2dBackward(g: Pad2dGeometry, dY: GpuTensor, dX: GpuTensor): void {
    pad2dBackwardGpu(this.ctx, g, dY, dX);
  }
  maxPool2d(g: Pool2dGeometry, x: GpuTensor, y: GpuTensor, argmax: GpuTensor, relu = false): void {
    maxPool2dGpu(this.ctx, g, x, y, argmax, relu);
  }
  maxPool2dBackward(g: Pool2dGeometry, dY: GpuTensor, argmax: GpuTensor, dX: GpuTensor, reluOutput: GpuTensor | null = null): void {
    maxPool2dBackwardGpu(this.ctx, g, dY, argmax, dX, reluOutput);
  }
  avgPool2d(g: Pool2dGeometry, x: GpuTensor, y: GpuTensor): void {
    avgPool2dGpu(this.ctx, g, x, y);
  }
  avgPool2dBackward(g: Pool2dGeometry, dY: GpuTensor, dX: GpuTensor): void {
    avgPool2dBackwardGpu(this.ctx, g, dY, dX);
  }
  dropout(n: number, p: number, seed: number, x: GpuTensor, y: GpuTensor, mask: GpuTensor): void {
    dropoutGpu(this.ctx, n, p, seed, x, y, mask);
  }
  dropoutBackward(n: number, dY: GpuTensor, mask: GpuTensor, dX: GpuTensor): void {
    dropoutBackwardGpu(this.ctx, n, dY, mask, dX);
  }
}
