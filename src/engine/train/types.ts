// What the trainer takes and what it reports. Plain data: the CLI writes it to the run store,
// the app's worker posts it to the UI.

import type { ModelSpec } from '../model/spec';
import type { OptimizerConfig } from '../optim/optimizer';
import type { ScheduleConfig } from '../optim/schedule';
import type { AugmentSpec } from './augment';

export interface TrainConfig {
  spec: ModelSpec;
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
  seed: number;
  /** Stop after this many steps (across epochs), e.g. for smoke tests. */
  maxSteps?: number;
  /** Shuffle the training set every epoch (PyTorch's DataLoader(shuffle=True)). */
  shuffle: boolean;
  /** End training (as completed) after this many epochs without a better validation result. */
  earlyStop?: number;
  /** Cross-entropy label smoothing in [0, 1) (PyTorch's label_smoothing); absent = 0. */
  labelSmoothing?: number;
  /** Per-step augmentation of the training batches (train/augment.ts); absent = none. */
  augment?: AugmentSpec;
}

/** A dataset as the trainer needs it: uint8 images, uploaded to the device once. */
export interface TrainData {
  images: Uint8Array;
  labels: Uint8Array;
  channels: number;
  height: number;
  width: number;
  classes: number;
  trainIndices: Uint32Array;
  valIndices: Uint32Array;
  mean: number[];
  std: number[];
}

export interface StepMetrics {
  kind: 'step';
  step: number;
  epoch: number;
  loss: number;
  accuracy: number;
  lr: number;
  imagesPerSecond: number;
  /** L2 norm of each parameter's gradient, by state_dict name. */
  gradNorms: Record<string, number>;
  /** GPU milliseconds per pass label "layer|phase|kernel" (timestamp queries), when known. */
  kernelTimes?: Record<string, number>;
  /** 'timestamp': per-kernel GPU time; 'coarse': whole-step wall time only (no timestamp-query). */
  timing: 'timestamp' | 'coarse';
  /** Seconds since this training session started (a resumed run starts again at 0). */
  elapsed: number;
  /** Present while kernels are tuned on the training steps: which layers and phases this step
   *  timed with which candidate ("3.conv2d forward: implicit px2; …"), so its kernelTimes are
   *  those candidates'. */
  tuning?: string;
}

export interface EpochMetrics {
  kind: 'epoch';
  epoch: number;
  step: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
}

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface TrainSummary {
  status: 'completed' | 'stopped' | 'diverged';
  /** Why training ended before its last epoch, when it did (early stopping, a step cap). */
  stopReason?: string;
  epochs: number;
  steps: number;
  trainLoss: number;
  valLoss: number;
  valAccuracy: number;
  imagesPerSecond: number;
  /** Why training diverged, naming the layer whose gradients blew up first. */
  divergence?: string;
}
