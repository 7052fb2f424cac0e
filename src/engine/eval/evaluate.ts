// Evaluation and prediction with trained weights, one implementation for `convlab eval` /
// `convlab predict`, the app's worker and the training session's final validation pass:
// uint8 images → (device) gather + normalise → forward in eval mode → logits → metrics in float64.

import type { Backend } from '../backend';
import type { ModelSpec } from '../model/spec';
import { Sequential } from '../nn/sequential';
import { loadStateDict } from '../nn/stateDict';
import type { NamedTensor } from '../train/types';
import { EVALUATION_FORMAT, type EvaluationReport } from '../../shared/evaluation';
import type { Preprocessing } from '../../shared/runRecord';
import { computeLogits, type DeviceImages, type LogitsOptions } from './logits';
import { classificationMetrics, topClasses } from './metrics';

/** uint8 NCHW images of the model's input size, with what normalises them. */
export interface HostImages {
  images: Uint8Array;
  channels: number;
  height: number;
  width: number;
  mean: number[];
  std: number[];
}

/** A model with trained weights, ready for evaluation-mode forwards. */
export function loadModel<B>(be: Backend<B>, spec: ModelSpec, weights: readonly NamedTensor[]): Sequential<B> {
  const model = new Sequential(spec, be, 0);
  loadStateDict(model, be, weights);
  return model;
}

export function uploadImages<B>(be: Backend<B>, h: HostImages): DeviceImages<B> {
  be.setScope({ layer: 'data', phase: 'data' });
  const images = be.uploadBytes(h.images, 'eval-images');
  be.setScope(null);
  return { images, channels: h.channels, height: h.height, width: h.width, mean: h.mean, std: h.std };
}

export interface EvaluateInput<B> {
  model: Sequential<B>;
  source: DeviceImages<B>;
  /** Each image's class index in `classes`, for every image of the source. */
  labels: ArrayLike<number>;
  /** Which images to evaluate. */
  indices: Uint32Array;
  classes: readonly string[];
  /** For the report. */
  runId: string;
  checkpoint: string;
  dataset: EvaluationReport['dataset'];
}

export async function evaluate<B>(be: Backend<B>, e: EvaluateInput<B>, o: LogitsOptions = {}): Promise<EvaluationReport> {
  const logits = await computeLogits(be, e.model, e.source, e.indices, e.classes.length, o);
  const labels = Array.from(e.indices, (i) => e.labels[i]!);
  const m = classificationMetrics(logits, labels, e.classes);
  return {
    format: EVALUATION_FORMAT,
    runId: e.runId,
    checkpoint: e.checkpoint,
    dataset: e.dataset,
    createdAt: new Date().toISOString(),
    n: m.n,
    accuracy: m.accuracy,
    loss: m.loss,
    topK: m.topK,
    classes: [...e.classes],
    perClass: m.perClass,
    confusion: m.confusion,
    samples: { index: Array.from(e.indices), label: labels, predicted: m.predicted, confidence: m.confidence },
  };
}

export interface Prediction {
  logits: number[];
  top: Array<{ class: string; probability: number }>;
}

/** Top-k of each image (already fitted to the model's input size: services/images). */
export async function predict<B>(be: Backend<B>, model: Sequential<B>, pixels: Uint8Array, preprocessing: Preprocessing, k: number): Promise<Prediction[]> {
  const [channels, height, width] = preprocessing.input;
  const count = pixels.length / (channels * height * width);
  if (!Number.isInteger(count)) throw new Error(`predict: ${pixels.length} bytes are not whole ${channels}×${height}×${width} images`);
  if (count === 0) return [];
  const source = uploadImages(be, { images: pixels, channels, height, width, mean: preprocessing.mean, std: preprocessing.std });
  try {
    const classes = preprocessing.classes;
    const logits = await computeLogits(be, model, source, Uint32Array.from({ length: count }, (_, i) => i), classes.length);
    return Array.from({ length: count }, (_, i) => {
      const row = logits.subarray(i * classes.length, (i + 1) * classes.length);
      return { logits: Array.from(row), top: topClasses(row, classes, k) };
    });
  } finally {
    be.release(source.images);
  }
}
