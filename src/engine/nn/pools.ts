// MaxPool2d, AvgPool2d and AdaptiveAvgPool2d(1). Max pooling keeps the argmax of every window from the forward pass
// so the backward can send each gradient to the one input that won.

import { Tensor } from '../autograd/tensor';
import { type Pool2dGeometry, type Pool2dOptions, globalPoolGeometry, pool2dGeometry, poolInputElements, poolOutputElements } from '../pool/geometry';
import type { ReluLayer } from './activations';
import { type Buffer, type ForwardContext, type Layer, type Parameter, layerName } from './layer';

const shapeOf = (g: Pool2dGeometry): number[] => [g.batch, g.channels, g.outHeight, g.outWidth];

export class MaxPool2dLayer<B> implements Layer<B> {
  readonly type = 'max_pool2d';
  constructor(readonly path: string, readonly opts: Pool2dOptions) {}
  parameters(): Parameter<B>[] { return []; }
  buffers(): Buffer<B>[] { return []; }
  outputShape(input: readonly number[]): number[] { return shapeOf(pool2dGeometry(input, this.opts)); }

  forward(x: Tensor<B>, ctx: ForwardContext<B>): Tensor<B> {
    return this.pool(x, ctx, null);
  }

  /** `relu` (the layer right before this one) and this pool as one op each way, which Sequential
   *  uses: ReLU commutes with max, so the output and the gradient are the unfused pair's bit for
   *  bit, with one dispatch per direction instead of two and no full-size ReLU output or
   *  gradient in between. */
  forwardAfterRelu(x: Tensor<B>, relu: ReluLayer<B>, ctx: ForwardContext<B>): Tensor<B> {
    return this.pool(x, ctx, relu);
  }

  private pool(x: Tensor<B>, { be, tape }: ForwardContext<B>, relu: ReluLayer<B> | null): Tensor<B> {
    // Kernel timings are grouped by this name: a fused pair is charged to both layers, honestly.
    const layer = relu ? `${layerName(relu)}+${layerName(this)}` : layerName(this);
    const g = pool2dGeometry(x.shape, this.opts);
    const y = tape.temp(poolOutputElements(g), `${layer}.out`);
    const argmax = tape.temp(poolOutputElements(g), `${layer}.argmax`);
    be.setScope({ layer, phase: 'forward' });
    be.maxPool2d(g, x.data, y, argmax, relu !== null);
    const out = new Tensor(y, shapeOf(g), true);
    tape.record(() => {
      if (!x.requiresGrad) return;
      be.setScope({ layer, phase: 'grad-input' });
      const dX = tape.temp(poolInputElements(g), `${layer}.dInput`);
      // The ReLU's backward masks by its output; at each window's winning tap that is > 0 or NaN
      // exactly when y is, so y serves as the mask.
      be.maxPool2dBackward(g, out.grad!, argmax, dX, relu ? y : null);
      tape.addGrad(x, dX);
    });
    return out;
  }
}

export class AvgPool2dLayer<B> implements Layer<B> {
  readonly type = 'avg_pool2d';
  constructor(readonly path: string, readonly opts: Pool2dOptions) {}
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
      const dX = tape.temp(poolInputElements(g), `${layer}.dInput`);
      be.avgPool2dBackward(g, out.grad!, dX);
      tape.addGrad(x, dX);
    });
    return out;
  }
}

/** nn.AdaptiveAvgPool2d(1): the mean of each channel's plane, (N, C, H, W) → (N, C, 1, 1); it
 *  does not flatten (PyTorch users follow it with nn.Flatten(), and so does the spec). For
 *  output size 1 the adaptive pool's single bin is the whole plane, so it runs as the average
 *  pool whose window is the plane (avg_pool2d.wgsl, and its backward spreads dY/(H·W)). */
export class AdaptiveAvgPool2dLayer<B> implements Layer<B> {
  readonly type = 'adaptive_avg_pool2d';
  constructor(readonly path: string) {}
  parameters(): Parameter<B>[] { return []; }
  buffers(): Buffer<B>[] { return []; }
  outputShape(input: readonly number[]): number[] { return shapeOf(globalPoolGeometry(input)); }

  forward(x: Tensor<B>, { be, tape }: ForwardContext<B>): Tensor<B> {
    const layer = layerName(this);
    const g = globalPoolGeometry(x.shape);
    const y = tape.temp(poolOutputElements(g), `${layer}.out`);
    be.setScope({ layer, phase: 'forward' });
    be.avgPool2d(g, x.data, y);
    const out = new Tensor(y, shapeOf(g), true);
    tape.record(() => {
      if (!x.requiresGrad) return;
      be.setScope({ layer, phase: 'grad-input' });
      const dX = tape.temp(poolInputElements(g), `${layer}.dInput`);
      be.avgPool2dBackward(g, out.grad!, dX);
      tape.addGrad(x, dX);
    });
    return out;
  }
}
