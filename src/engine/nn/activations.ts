// Elementwise activations: ReLU and LeakyReLU (the backward masks the incoming gradient), and
// the smooth ones (sigmoid, tanh, gelu, silu), whose backward multiplies it by f'.

import { Tensor } from '../autograd/tensor';
import { type SmoothActivation, savesOutput } from '../backend';
import { type Buffer, type ForwardContext, type Layer, type Parameter, layerName } from './layer';

/** A ReluLayer directly followed by a MaxPool2dLayer does not run this forward: Sequential runs
 *  the pair as one fused op (MaxPool2dLayer.forwardAfterRelu). */
export class ReluLayer<B> implements Layer<B> {
  readonly type = 'relu';
  constructor(readonly path: string) {}
  parameters(): Parameter<B>[] { return []; }
  buffers(): Buffer<B>[] { return []; }
  outputShape(input: readonly number[]): number[] { return [...input]; }

  forward(x: Tensor<B>, { be, tape }: ForwardContext<B>): Tensor<B> {
    const layer = layerName(this);
    const n = x.size;
    const y = tape.temp(n, `${layer}.out`);
    be.setScope({ layer, phase: 'forward' });
    be.relu(n, x.data, y);
    const out = new Tensor(y, x.shape, true);
    tape.record(() => {
      if (!x.requiresGrad) return;
      be.setScope({ layer, phase: 'grad-input' });
      const dX = tape.temp(n, `${layer}.dInput`);
      // PyTorch's threshold_backward masks by the output (y > 0), same as by x > 0.
      be.reluBackward(n, y, out.grad!, dX);
      tape.addGrad(x, dX);
    });
    return out;
  }
}

/** Not fused with a following max pool, unlike ReLU: slope · x can round distinct negative
 *  inputs to equal outputs (and a negative slope reverses the order), so the unfused pool's first
 *  maximum, where the gradient goes, need not be the tap that wins on the inputs. */
export class LeakyReluLayer<B> implements Layer<B> {
  readonly type = 'leaky_relu';
  constructor(readonly path: string, readonly negativeSlope: number) {}
  parameters(): Parameter<B>[] { return []; }
  buffers(): Buffer<B>[] { return []; }
  outputShape(input: readonly number[]): number[] { return [...input]; }

  forward(x: Tensor<B>, { be, tape }: ForwardContext<B>): Tensor<B> {
    const layer = layerName(this);
    const n = x.size;
    const y = tape.temp(n, `${layer}.out`);
    be.setScope({ layer, phase: 'forward' });
    be.leakyRelu(n, this.negativeSlope, x.data, y);
    const out = new Tensor(y, x.shape, true);
    tape.record(() => {
      if (!x.requiresGrad) return;
      be.setScope({ layer, phase: 'grad-input' });
      const dX = tape.temp(n, `${layer}.dInput`);
      be.leakyReluBackward(n, this.negativeSlope, x.data, out.grad!, dX);
      tape.addGrad(x, dX);
    });
    return out;
  }
}

/** nn.Sigmoid, nn.Tanh, nn.GELU() (exact erf form) and nn.SiLU: one class, `type` is the kind.
 *  The backward reads what PyTorch's does: the output for sigmoid and tanh, the input otherwise. */
export class SmoothActivationLayer<B> implements Layer<B> {
  constructor(readonly path: string, readonly type: SmoothActivation) {}
  parameters(): Parameter<B>[] { return []; }
  buffers(): Buffer<B>[] { return []; }
  outputShape(input: readonly number[]): number[] { return [...input]; }

  forward(x: Tensor<B>, { be, tape }: ForwardContext<B>): Tensor<B> {
    const layer = layerName(this);
    const kind = this.type;
    const n = x.size;
    const y = tape.temp(n, `${layer}.out`);
    be.setScope({ layer, phase: 'forward' });
    be.activation(kind, n, x.data, y);
    const out = new Tensor(y, x.shape, true);
    tape.record(() => {
      if (!x.requiresGrad) return;
      be.setScope({ layer, phase: 'grad-input' });
      const dX = tape.temp(n, `${layer}.dInput`);
      be.activationBackward(kind, n, savesOutput(kind) ? y : x.data, out.grad!, dX);
      tape.addGrad(x, dX);
    });
    return out;
  }
}
