// What an inspection reads back: every module's output (and, with a target, its gradient) for a
// few images, the input as the model saw it, and each conv layer's weights with their gradients
// and the geometry its kernels ran. Plain numbers and typed arrays only, so the result crosses a
// worker's postMessage as it is and the CLI, the app and the tests read the same object.

import type { Pad2dGeometry } from '../backend';
import type { Conv2dGeometry } from '../conv/geometry';

/** What the backward pass differentiates, per image: a class score (the logit, before softmax)
 *  or the image's own cross-entropy loss for its true label. */
export type GradTarget = { kind: 'class'; classes: number[] } | { kind: 'loss'; labels: number[] };

/** A tensor of the whole batch: shape [N, …], row-major data; grad = d(target)/d(it). */
export interface InspectedTensor {
  shape: number[];
  data: Float64Array;
  grad: Float64Array | null;
}

export interface InspectedConv {
  /** The pad in front of the conv for padding_mode reflect/replicate/circular (else null), and
   *  the conv the kernels run (on the padded input then), both for ONE image (batch 1). */
  pad: Pad2dGeometry | null;
  geometry: Conv2dGeometry;
  /** (O, C/groups, kh, kw). */
  weight: InspectedTensor;
  bias: Float64Array | null;
}

export interface InspectedModule {
  /** The state_dict path ('3', '4.body.0'); a residual block's own path is its sum. */
  path: string;
  /** conv2d, relu, max_pool2d, batch_norm2d, linear, flatten, residual, … */
  type: string;
  /** Whose output this module reads: 'input' (the normalised images) or a module's path. */
  input: string;
  output: InspectedTensor;
  conv?: InspectedConv;
}

export interface Inspection {
  count: number;
  /** The images as the first layer received them: (x/255 − mean)/std, [N, C, H, W]; its grad is
   *  the saliency before the absolute value. */
  input: InspectedTensor;
  /** Every module, nested ones too, in execution order (a block after its branches). */
  modules: InspectedModule[];
  /** (N × classes) row-major: the last module's output. */
  logits: Float64Array;
  target: GradTarget | null;
}

/** One image's slice of a batch tensor. */
export function sampleOf(t: Float64Array, shape: readonly number[], n: number): Float64Array {
  const size = shape.slice(1).reduce((a, b) => a * b, 1);
  return t.subarray(n * size, (n + 1) * size);
}
