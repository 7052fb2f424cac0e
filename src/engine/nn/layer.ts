// What every layer of a Sequential provides. Layers only call Backend ops; the forward records
// its backward on the tape, right next to it, so the two read side by side.

import type { Backend } from '../backend';
import type { Tape } from '../autograd/tape';
import type { Tensor } from '../autograd/tensor';

export interface ForwardContext<B> {
  be: Backend<B>;
  tape: Tape<B>;
  training: boolean;
  /** Seed for this step's randomness (dropout masks): the run seed mixed with the step number. */
  stepSeed: number;
}

/** A learnable tensor with its gradient and its optimizer state. */
export class Parameter<B> {
  /** Optimizer state (momentum buffer, Adam's m and v), created by the optimizer. */
  readonly state = new Map<string, B>();

  constructor(
    /** PyTorch state_dict name, e.g. '0.weight'. */
    readonly name: string,
    readonly shape: readonly number[],
    public data: B,
    readonly grad: B,
    /** Weight decay is applied to every parameter, as torch.optim does by default. */
    readonly role: 'weight' | 'bias',
  ) {}
}

/** Non-learnable state saved with the model (BatchNorm running statistics). */
export interface Buffer<B> {
  name: string;
  shape: readonly number[];
  data: B;
}

export interface Layer<B> {
  /** PyTorch's state_dict prefix: '3' for layer 3 of the model's nn.Sequential, '4.body.0' for
   *  the first layer of the body of the residual block at 4 (see nn/residual.ts). */
  readonly path: string;
  /** PyTorch-style type name: conv2d, relu, max_pool2d, linear, ... */
  readonly type: string;
  parameters(): Parameter<B>[];
  buffers(): Buffer<B>[];
  outputShape(input: readonly number[]): number[];
  forward(x: Tensor<B>, ctx: ForwardContext<B>): Tensor<B>;
}

/** The name kernel timings are grouped by: '3.conv2d', '4.body.0.conv2d'. */
export const layerName = (l: { path: string; type: string }): string => `${l.path}.${l.type}`;

/** A number per layer path for seeding (dropout masks): a top-level layer's own index, so runs
 *  from before residual blocks draw the same masks; a nested path hashed (FNV-1a). */
export function pathSeed(path: string): number {
  if (/^\d+$/.test(path)) return Number(path);
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
