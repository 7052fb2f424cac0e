// MaxPool2d and AvgPool2d. Max pooling keeps the argmax of every window from the forward pass
// so the backward can send each gradient to the one input that won.

import { Tensor } from '../autograd/tensor';
import { type Pool2dGeometry, type Pool2dOptions, pool2dGeometry, poolInputElements, poolOutputElements } from '../pool/geometry';
import { type Buffer, type ForwardContext, type Layer, type Parameter, layerName } from './layer';

const shapeOf = (g: Pool2dGeometry): number[] => [g.batch, g.channels, g.outHeight, g.outWidth];

export class MaxPool2dLayer<B> implements Layer<B> {
  readonly type = 'max_pool2d';
  constructor(readonly index: number, readonly opts: Pool2dOptions) {}
  parameters(): Parameter<B>[] { return []; }
  buffers(): Buffer<B>[] { return []; }
  outputShape(input: readonly number[]): number[] { return shapeOf(pool2dGeometry(input, this.opts)); }

  forward(x: Tensor<B>, { be, tape }: ForwardContext<B>): Tensor<B> {
    const layer = layerName(this);
    const g = pool2dGeometry(x.shape, this.opts);
    const y = tape.temp(poolOutputElements(g), `${layer}.out`);
    const argmax = tape.temp(poolOutputElements(g), `${layer}.argmax`);
    be.setScope({ layer, phase: 'forward' });
    be.maxPool2d(g, x.data, y, argmax);
    const out = new Tensor(y, shapeOf(g), true);
    tape.record(() => {
      if (!x.requiresGrad) return;
      be.setScope({ layer, phase: 'grad-input' });
      x.grad = tape.temp(poolInputElements(g), `${layer}.dInput`);
      be.maxPool2dBackward(g, out.grad!, argmax, x.grad);
    });
    return out;
  }
}

export class AvgPool2dLayer<B> implements Layer<B> {
  readonly type = 'avg_pool2d';
  constructor(readonly index: number, readonly opts: Pool2dOptions) {}
  parameters(): Parameter<B>[] { return []; }
  buffers(): Buffer<B>[] { return []; }
  outputShape(input: readonly number[]): number[] { return shapeOf(pool2dGeometry(input, this.opts)); }

  forward(x: Tensor<B>, { be, tape }: ForwardContext<B>): Tensor<B> {
    const layer = layerName(this);
    const g = pool2dGeometry(x.shape, this.opts);
    const y = tape.temp(poolOutputElements(g), `${layer}.out`);
    be.setScope({ layer, phase: 'forward' });
    be.avgPool2d(g, x.data, y);
    const out = new Tensor(y, shapeOf(g), true);
    tape.record(() => {
      if (!x.requiresGrad) return;
      be.setScope({ layer, phase: 'grad-input' });
      x.grad = tape.temp(poolInputElements(g), `${layer}.dInput`);
      be.avgPool2dBackward(g, out.grad!, x.grad);
    });
    return out;
  }
}
