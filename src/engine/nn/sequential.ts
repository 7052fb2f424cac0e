// nn.Sequential built from a model spec: layer i of the spec is layer i here, so parameter
// names are PyTorch's state_dict names ('0.weight', '3.bias', ...). Weights are drawn from the
// seeded RNG in layer order, so a seed fixes the whole initial model.

import { Random } from '../../shared/random';
import type { Tensor } from '../autograd/tensor';
import type { Backend } from '../backend';
import type { LayerSpec, ModelSpec } from '../model/spec';
import { LeakyReluLayer, ReluLayer, SmoothActivationLayer } from './activations';
import { BatchNorm2dLayer } from './batchNorm2d';
import { Conv2dLayer } from './conv2d';
import { DropoutLayer } from './dropout';
import { FlattenLayer } from './flatten';
import type { Buffer, ForwardContext, Layer, Parameter } from './layer';
import { LinearLayer } from './linear';
import { AdaptiveAvgPool2dLayer, AvgPool2dLayer, MaxPool2dLayer } from './pools';

export class Sequential<B> {
  readonly layers: Layer<B>[] = [];

  constructor(readonly spec: ModelSpec, readonly be: Backend<B>, seed: number) {
    const rng = new Random(seed);
    // Walk the shapes with a batch of one to learn each layer's input size.
    let shape: number[] = [1, ...spec.input];
    spec.layers.forEach((layerSpec, index) => {
      const layer = makeLayer(layerSpec, index, shape, be, rng);
      shape = layer.outputShape(shape);
      this.layers.push(layer);
    });
  }

  parameters(): Parameter<B>[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  buffers(): Buffer<B>[] {
    return this.layers.flatMap((l) => l.buffers());
  }

  forward(x: Tensor<B>, ctx: ForwardContext<B>): Tensor<B> {
    let h = x;
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i]!;
      const next = this.layers[i + 1];
      // ReLU then max pool runs as one fused op each way, bit for bit the same (see
      // MaxPool2dLayer.forwardAfterRelu): the separate ReLU passes cost as much as the pool.
      if (layer instanceof ReluLayer && next instanceof MaxPool2dLayer) {
        h = next.forwardAfterRelu(h, layer, ctx);
        i++;
      } else {
        h = layer.forward(h, ctx);
      }
    }
    return h;
  }

  outputShape(input: readonly number[]): number[] {
    return this.layers.reduce<number[]>((s, l) => l.outputShape(s), [...input]);
  }
}

function makeLayer<B>(s: LayerSpec, index: number, input: readonly number[], be: Backend<B>, rng: Random): Layer<B> {
  switch (s.type) {
    case 'conv2d':
      return new Conv2dLayer(index, {
        inChannels: input[1]!, outChannels: s.out_channels, kernelSize: s.kernel_size, stride: s.stride,
        padding: s.padding, dilation: s.dilation, groups: s.groups, bias: s.bias,
        ...(s.padding_mode ? { paddingMode: s.padding_mode } : {}),
      }, be, rng);
    case 'linear':
      if (input.length !== 2) throw new Error(`layer ${index} linear receives a ${input.slice(1).join('×')} feature map: add flatten before it`);
      return new LinearLayer(index, input[1]!, s.out_features, s.bias, be, rng);
    case 'relu':
      return new ReluLayer(index);
    case 'leaky_relu':
      return new LeakyReluLayer(index, s.negative_slope);
    case 'sigmoid':
    case 'tanh':
    case 'gelu':
    case 'silu':
      return new SmoothActivationLayer(index, s.type);
    case 'adaptive_avg_pool2d':
      return new AdaptiveAvgPool2dLayer(index);
    case 'max_pool2d':
      return new MaxPool2dLayer(index, { kernelSize: s.kernel_size, stride: s.stride, padding: s.padding, dilation: s.dilation, ceilMode: s.ceil_mode });
    case 'avg_pool2d':
      return new AvgPool2dLayer(index, { kernelSize: s.kernel_size, stride: s.stride, padding: s.padding, ceilMode: s.ceil_mode, countIncludePad: s.count_include_pad });
    case 'flatten':
      return new FlattenLayer(index);
    case 'dropout':
      return new DropoutLayer(index, s.p);
    case 'batch_norm2d':
      if (input.length !== 4) throw new Error(`layer ${index} batch_norm2d needs a (N, C, H, W) input, receives (${input.join(', ')})`);
      return new BatchNorm2dLayer(index, input[1]!, s.eps, s.momentum, s.affine, be);
  }
}
