// Does a model fit a dataset? Asked by the training session before anything is uploaded or
// recorded, by the trainer as a guard, and by the app's Train view before Start is enabled, so
// the answer is worded once.

import { inferShapes } from '../model/infer';
import type { ModelSpec } from '../model/spec';

export interface DataShape {
  /** For the message: the dataset's display name, when known. */
  name?: string;
  channels: number;
  height: number;
  width: number;
  classes: number;
}

/** Why the model cannot train on the data, or null when it can. */
export function modelDataMismatch(spec: ModelSpec, data: DataShape): string | null {
  const dataset = data.name ? `dataset "${data.name}"` : 'the dataset';
  const [c, h, w] = spec.input;
  if (c !== data.channels || h !== data.height || w !== data.width) {
    return `the model expects ${c}×${h}×${w} inputs but ${dataset} has ${data.channels}×${data.height}×${data.width} images`;
  }
  let output: number[];
  try {
    output = inferShapes(spec, 1).output;
  } catch (e) {
    return (e as Error).message;
  }
  if (output.length !== 1) {
    return `the model ends with a ${output.join('×')} feature map, not one score per class: add flatten and linear(${data.classes}) at the end`;
  }
  const outputs = output[0]!;
  if (outputs !== data.classes) {
    return `the model ends with ${outputs} outputs but ${dataset} has ${data.classes} classes: end the model with linear(${data.classes})`;
  }
  return null;
}

export function checkModelFitsData(spec: ModelSpec, data: DataShape): void {
  const why = modelDataMismatch(spec, data);
  if (why !== null) throw new Error(why);
}
