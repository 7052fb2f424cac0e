// Conv2d: SpatialConvolutionMM's forward, and right below it the backward that the tape runs.

import type { Random } from '../../shared/random';
import { Tensor } from '../autograd/tensor';
import { type Conv2dGeometry, type Conv2dOptions, conv2dGeometry, inputElements, outputElements, outputShape } from '../conv/geometry';
import type { Backend } from '../backend';
import { type Buffer, type ForwardContext, type Layer, Parameter, layerName } from './layer';
import { uniformInit } from './init';

export interface Conv2dLayerOptions extends Conv2dOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: [number, number];
  bias: boolean;
}

export class Conv2dLayer<B> implements Layer<B> {
  readonly type = 'conv2d';
  readonly weight: Parameter<B>;
  readonly bias: Parameter<B> | null;

  constructor(readonly index: number, readonly opts: Conv2dLayerOptions, be: Backend<B>, rng: Random) {
    const groups = opts.groups ?? 1;
    const [kh, kw] = opts.kernelSize;
    const shape = [opts.outChannels, opts.inChannels / groups, kh, kw];
    const fanIn = (opts.inChannels / groups) * kh * kw;
    const count = shape.reduce((a, b) => a * b, 1);
    this.weight = new Parameter(`${index}.weight`, shape, be.upload(uniformInit(count, fanIn, rng), `${index}.weight`), be.zeros(count, `${index}.weight.grad`), 'weight');
    this.bias = opts.bias
      ? new Parameter(`${index}.bias`, [opts.outChannels], be.upload(uniformInit(opts.outChannels, fanIn, rng), `${index}.bias`), be.zeros(opts.outChannels, `${index}.bias.grad`), 'bias')
      : null;
  }

  parameters(): Parameter<B>[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }
  buffers(): Buffer<B>[] {
    return [];
  }

  geometry(input: readonly number[]): Conv2dGeometry {
    return conv2dGeometry(input, this.weight.shape, this.opts);
  }

  outputShape(input: readonly number[]): number[] {
    return outputShape(this.geometry(input));
  }

  forward(x: Tensor<B>, { be, tape }: ForwardContext<B>): Tensor<B> {
    const layer = layerName(this);
    const g = this.geometry(x.shape);
    const { weight, bias } = this;
    const y = tape.temp(outputElements(g), `${layer}.out`);
    be.setScope({ layer, phase: 'forward' });
    be.conv2dForward(g, x.data, weight.data, bias?.data ?? null, y);
    const out = new Tensor(y, outputShape(g), true);

    tape.record(() => {
      const dOut = out.grad!;
      if (x.requiresGrad) {
        be.setScope({ layer, phase: 'grad-input' });
        x.grad = tape.temp(inputElements(g), `${layer}.dInput`);
        be.conv2dBackwardInput(g, dOut, weight.data, x.grad);
      }
      be.setScope({ layer, phase: 'grad-weight' });
      be.conv2dBackwardWeight(g, x.data, dOut, weight.grad, false);
      if (bias) {
        be.setScope({ layer, phase: 'grad-bias' });
        be.conv2dBackwardBias(g, dOut, bias.grad, false);
      }
    });
    return out;
  }
}
