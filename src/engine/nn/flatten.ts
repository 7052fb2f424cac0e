// Flatten (N, C, H, W) → (N, C·H·W): a new shape over the same buffer, and the same for the
// gradient on the way back. No kernel runs.

import { Tensor } from '../autograd/tensor';
import type { Buffer, ForwardContext, Layer, Parameter } from './layer';

export class FlattenLayer<B> implements Layer<B> {
  readonly type = 'flatten';
  constructor(readonly path: string) {}
  parameters(): Parameter<B>[] { return []; }
  buffers(): Buffer<B>[] { return []; }
  outputShape(input: readonly number[]): number[] {
    return [input[0]!, input.slice(1).reduce((a, b) => a * b, 1)];
  }

  forward(x: Tensor<B>, { tape }: ForwardContext<B>): Tensor<B> {
    const out = new Tensor(x.data, this.outputShape(x.shape), true);
    tape.record(() => {
      tape.addGrad(x, out.grad!);
    });
    return out;
  }
}
