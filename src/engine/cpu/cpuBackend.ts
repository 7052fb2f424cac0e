// The CPU backend: float64 twins of every kernel. It is the reference the WebGPU kernels are
// checked against, and a slow but working fallback (`--backend cpu`).

import type { Backend } from '../backend';
import type { Conv2dGeometry } from '../conv/geometry';
import type { GemmSpec } from '../gemm';
import {
  explicitConvBackwardBias,
  explicitConvBackwardInput,
  explicitConvBackwardWeight,
  explicitConvForward,
} from '../conv/explicitConv';
import { biasAddCpu, biasGradCpu } from './bias';
import { gemmCpu } from './gemm';
import { col2imCpu, im2colCpu } from './im2col';
// Activations, pools, dropout.
import type { Pool2dGeometry } from '../pool/geometry';
import { leakyReluBackwardCpu, leakyReluCpu, reluBackwardCpu, reluCpu } from './activation';
import { activationBackwardCpu, activationCpu } from './smoothActivation';
import { pad2dBackwardCpu, pad2dCpu } from './pad';
import { dropoutBackwardCpu, dropoutCpu } from './dropout';
import { avgPool2dBackwardCpu, avgPool2dCpu, maxPool2dBackwardCpu, maxPool2dCpu } from './pool';
// Training ops (BatchNorm, loss, optimizers, reductions, batch assembly).
import type { AdamOptions, BatchNormGeometry, GatherBatchOptions, Pad2dGeometry, SgdOptions, SmoothActivation } from '../backend';
import { batchNorm2dBackwardCpu, batchNorm2dEvalCpu, batchNorm2dTrainCpu } from './batchNorm';
import { gatherBatchCpu, gatherLabelsCpu } from './batch';
import { augmentBatchCpu } from './augmentBatch';
import { crossEntropyCpu } from './crossEntropy';
import { adamStepCpu, sgdStepCpu } from './optim';
import { fillCpu, scaleAddCpu, sumSquaresCpu } from './reduce';

export class CpuBackend implements Backend<Float64Array> {
  readonly kind = 'cpu' as const;
  readonly busyReadbackWait = false;

  upload(data: ArrayLike<number>): Float64Array {
    return Float64Array.from(data);
  }
  alloc(length: number): Float64Array {
    // NaN-filled so a kernel that reads memory it should not have written shows up in tests.
    return new Float64Array(length).fill(Number.NaN);
  }
  zeros(length: number): Float64Array {
    return new Float64Array(length);
  }
  async read(t: Float64Array): Promise<Float64Array> {
    return Float64Array.from(t);
  }
  release(): void {}
  length(t: Float64Array): number {
    return t.length;
  }
  flush(): void {}
  setScope(): void {}
  copy(src: Float64Array, srcOffset: number, dst: Float64Array, dstOffset: number, length: number): void {
    dst.set(src.subarray(srcOffset, srcOffset + length), dstOffset);
  }

  im2col(g: Conv2dGeometry, input: Float64Array, columns: Float64Array): void {
    im2colCpu(g, input, columns);
  }
  col2im(g: Conv2dGeometry, columns: Float64Array, dInput: Float64Array): void {
    col2imCpu(g, columns, dInput);
  }
  gemm(spec: GemmSpec, a: Float64Array, b: Float64Array, c: Float64Array): void {
    gemmCpu(spec, a, b, c);
  }
  biasAdd(n: number, c: number, l: number, bias: Float64Array, out: Float64Array): void {
    biasAddCpu(n, c, l, bias, out);
  }
  biasGrad(n: number, c: number, l: number, dOut: Float64Array, dBias: Float64Array, accumulate: boolean): void {
    biasGradCpu(n, c, l, dOut, dBias, accumulate);
  }

  conv2dForward(g: Conv2dGeometry, input: Float64Array, weight: Float64Array, bias: Float64Array | null, output: Float64Array): void {
    explicitConvForward(this, g, input, weight, bias, output);
  }
  conv2dBackwardInput(g: Conv2dGeometry, dOut: Float64Array, weight: Float64Array, dInput: Float64Array): void {
    explicitConvBackwardInput(this, g, dOut, weight, dInput);
  }
  conv2dBackwardWeight(g: Conv2dGeometry, input: Float64Array, dOut: Float64Array, dWeight: Float64Array, accumulate: boolean): void {
    explicitConvBackwardWeight(this, g, input, dOut, dWeight, accumulate);
  }
  conv2dBackwardBias(g: Conv2dGeometry, dOut: Float64Array, dBias: Float64Array, accumulate: boolean): void {
    explicitConvBackwardBias(this, g, dOut, dBias, accumulate);
  }

  // --- Activations, pools, dropout ----------------------------------------------------------------
  relu(n: number, x: Float64Array, y: Float64Array): void {
    reluCpu(n, x, y);
  }
  reluBackward(n: number, y: Float64Array, dY: Float64Array, dX: Float64Array): void {
    reluBackwardCpu(n, y, dY, dX);
  }
  leakyRelu(n: number, slope: number, x: Float64Array, y: Float64Array): void {
    leakyReluCpu(n, slope, x, y);
  }
  leakyReluBackward(n: number, slope: number, x: Float64Array, dY: Float64Array, dX: Float64Array): void {
    leakyReluBackwardCpu(n, slope, x, dY, dX);
  }
  activation(kind: SmoothActivation, n: number, x: Float64Array, y: Float64Array): void {
    activationCpu(kind, n, x, y);
  }
  activationBackward(kind: SmoothActivation, n: number, saved: Float64Array, dY: Float64Array, dX: Float64Array): void {
    activationBackwardCpu(kind, n, saved, dY, dX);
  }
  pad2d(g: Pad2dGeometry, x: Float64Array, y: Float64Array): void {
    pad2dCpu(g, x, y);
  }
  pad2dBackward(g: Pad2dGeometry, dY: Float64Array, dX: Float64Array): void {
    pad2dBackwardCpu(g, dY, dX);
  }
  maxPool2d(g: Pool2dGeometry, x: Float64Array, y: Float64Array, argmax: Float64Array, relu = false): void {
    maxPool2dCpu(g, x, y, argmax, relu);
  }
  maxPool2dBackward(g: Pool2dGeometry, dY: Float64Array, argmax: Float64Array, dX: Float64Array, reluOutput: Float64Array | null = null): void {
    maxPool2dBackwardCpu(g, dY, argmax, dX, reluOutput);
  }
  avgPool2d(g: Pool2dGeometry, x: Float64Array, y: Float64Array): void {
    avgPool2dCpu(g, x, y);
  }
  avgPool2dBackward(g: Pool2dGeometry, dY: Float64Array, dX: Float64Array): void {
    avgPool2dBackwardCpu(g, dY, dX);
  }
  dropout(n: number, p: number, seed: number, x: Float64Array, y: Float64Array, mask: Float64Array): void {
    dropoutCpu(n, p, seed, x, y, mask);
  }
  dropoutBackward(n: number, dY: Float64Array, mask: Float64Array, dX: Float64Array): void {
    dropoutBackwardCpu(n, dY, mask, dX);
  }

  // --- Training ops: BatchNorm2d, cross-entropy, optimizers, reductions, batch assembly ---------
  uploadBytes(bytes: Uint8Array): Float64Array {
    return Float64Array.from(bytes);
  }
  uploadU32(values: Uint32Array): Float64Array {
    return Float64Array.from(values);
  }
  batchNorm2dTrain(g: BatchNormGeometry, eps: number, momentum: number, x: Float64Array, gamma: Float64Array, beta: Float64Array, y: Float64Array, saveMean: Float64Array, saveInvStd: Float64Array, runningMean: Float64Array, runningVar: Float64Array): void {
    batchNorm2dTrainCpu(g, eps, momentum, x, gamma, beta, y, saveMean, saveInvStd, runningMean, runningVar);
  }
  batchNorm2dEval(g: BatchNormGeometry, eps: number, x: Float64Array, gamma: Float64Array, beta: Float64Array, runningMean: Float64Array, runningVar: Float64Array, y: Float64Array): void {
    batchNorm2dEvalCpu(g, eps, x, gamma, beta, runningMean, runningVar, y);
  }
  batchNorm2dBackward(g: BatchNormGeometry, x: Float64Array, dY: Float64Array, gamma: Float64Array, saveMean: Float64Array, saveInvStd: Float64Array, dX: Float64Array, dGamma: Float64Array, dBeta: Float64Array, accumulate: boolean): void {
    batchNorm2dBackwardCpu(g, x, dY, gamma, saveMean, saveInvStd, dX, dGamma, dBeta, accumulate);
  }
  crossEntropy(n: number, classes: number, logits: Float64Array, targets: Float64Array, loss: Float64Array, dLogits: Float64Array, correct: Float64Array, labelSmoothing = 0): void {
    crossEntropyCpu(n, classes, logits, targets, loss, dLogits, correct, labelSmoothing);
  }
  sgdStep(n: number, opts: SgdOptions, param: Float64Array, grad: Float64Array, momentumBuf: Float64Array): void {
    sgdStepCpu(n, opts, param, grad, momentumBuf);
  }
  adamStep(n: number, opts: AdamOptions, param: Float64Array, grad: Float64Array, m: Float64Array, v: Float64Array): void {
    adamStepCpu(n, opts, param, grad, m, v);
  }
  sumSquares(n: number, x: Float64Array, out: Float64Array, outIndex: number): void {
    sumSquaresCpu(n, x, out, outIndex);
  }
  fill(n: number, value: number, x: Float64Array): void {
    fillCpu(n, value, x);
  }
  scaleAdd(n: number, alpha: number, x: Float64Array, y: Float64Array): void {
    scaleAddCpu(n, alpha, x, y);
  }
  gatherBatch(opts: GatherBatchOptions, images: Float64Array, indices: Float64Array, out: Float64Array): void {
    gatherBatchCpu(opts, images, indices, out);
  }
  gatherBatchAugmented(opts: GatherBatchOptions, images: Float64Array, indices: Float64Array, params: Float64Array, out: Float64Array): void {
    augmentBatchCpu(opts, images, indices, params, out);
  }
  gatherLabels(count: number, labels: Float64Array, indices: Float64Array, out: Float64Array): void {
    gatherLabelsCpu(count, labels, indices, out);
  }
}
