// A tensor of the engine: a backend buffer with a shape, and (during training) its gradient.
// The buffer belongs to whoever made it — a Tape for activations, a Parameter for weights.

export class Tensor<B> {
  /** dL/d(this), filled in by the backward pass; null until then. */
  grad: B | null = null;

  constructor(
    readonly data: B,
    readonly shape: readonly number[],
    /** False for the network's input: its gradient is never needed, so grad-input is skipped. */
    readonly requiresGrad: boolean,
  ) {}

  get size(): number {
    return numel(this.shape);
  }
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
