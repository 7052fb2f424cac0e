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
  /** Index in the Sequential (PyTorch's state_dict prefix). */
  readonly index: number;
  /** PyTorch-style type name: conv2d, relu, max_pool2d, linear, ... */
  readonly type: string;
  parameters(): Parameter<B>[];
  buffers(): Buffer<B>[];
  outputShape(input: readonly number[]): number[];
  forward(x: Tensor<B>, ctx: ForwardContext<B>): Tensor<B>;
}

export const layerName = (l: { index: number; type: string }): string => `${l.index}.${l.type}`;
