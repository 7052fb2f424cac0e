// Dropout: in training, zero each element with probability p and scale the rest by 1/(1−p)
// (inverted dropout, as PyTorch); in evaluation, the identity. The mask is kept for backward.

import { Tensor } from '../autograd/tensor';
import { type Buffer, type ForwardContext, type Layer, type Parameter, layerName, pathSeed } from './layer';

export class DropoutLayer<B> implements Layer<B> {
  readonly type = 'dropout';
  constructor(readonly path: string, readonly p: number) {}
  parameters(): Parameter<B>[] { return []; }
  buffers(): Buffer<B>[] { return []; }
  outputShape(input: readonly number[]): number[] { return [...input]; }

  forward(x: Tensor<B>, { be, tape, training, stepSeed }: ForwardContext<B>): Tensor<B> {
    if (!training || this.p === 0) {
      const out = new Tensor(x.data, x.shape, true);
      tape.record(() => {
        tape.addGrad(x, out.grad!);
      });
      return out;
    }
    const layer = layerName(this);
    const n = x.size;
    const y = tape.temp(n, `${layer}.out`);
    const mask = tape.temp(n, `${layer}.mask`);
    be.setScope({ layer, phase: 'forward' });
    // A different stream per layer and step, reproducible from the run seed.
    be.dropout(n, this.p, (stepSeed ^ Math.imul(pathSeed(this.path) + 1, 0x9e3779b1)) >>> 0, x.data, y, mask);
    const out = new Tensor(y, x.shape, true);
    tape.record(() => {
      if (!x.requiresGrad) return;
      be.setScope({ layer, phase: 'grad-input' });
      const dX = tape.temp(n, `${layer}.dInput`);
      be.dropoutBackward(n, out.grad!, mask, dX);
      tape.addGrad(x, dX);
    });
    return out;
  }
}
