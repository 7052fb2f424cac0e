// Layer objects from layer specs: the one place that turns a spec into a tree of layers, with
// PyTorch's state_dict paths ('3', '4.body.0', '4.shortcut.1'). Weights are drawn from the
// seeded RNG depth first (a block's body, then its shortcut), so a seed fixes the whole model.

import type { Random } from '../../shared/random';
import type { Backend } from '../backend';
import type { LayerSpec } from '../model/spec';
import { LeakyReluLayer, ReluLayer, SmoothActivationLayer } from './activations';
import { BatchNorm2dLayer } from './batchNorm2d';
import { Conv2dLayer } from './conv2d';
import { DropoutLayer } from './dropout';
import { FlattenLayer } from './flatten';
import type { Layer } from './layer';
import { LinearLayer } from './linear';
import { AdaptiveAvgPool2dLayer, AvgPool2dLayer, MaxPool2dLayer } from './pools';
import { ResidualBlock } from './residual';

/** Build `specs` for an input of `input` ([N, C, H, W]); `prefix` is '' for the model and
 *  '4.body.' inside a block. Walks the shapes to learn each layer's input size. */
export function buildLayers<B>(specs: readonly LayerSpec[], prefix: string, input: readonly number[], be: Backend<B>, rng: Random): Layer<B>[] {
  let shape = [...input];
  return specs.map((s, i) => {
    const layer = makeLayer(s, `${prefix}${i}`, shape, be, rng);
    shape = layer.outputShape(shape);
    return layer;
  });
}

function makeLayer<B>(s: LayerSpec, path: string, input: readonly number[], be: Backend<B>, rng: Random): Layer<B> {
  switch (s.type) {
    case 'conv2d':
      return new Conv2dLayer(path, {
        inChannels: input[1]!, outChannels: s.out_channels, kernelSize: s.kernel_size, stride: s.stride,
        padding: s.padding, dilation: s.dilation, groups: s.groups, bias: s.bias,
        ...(s.padding_mode ? { paddingMode: s.padding_mode } : {}),
      }, be, rng);
    case 'linear':
      if (input.length !== 2) throw new Error(`layer ${path} linear receives a ${input.slice(1).join('×')} feature map: add flatten before it`);
      return new LinearLayer(path, input[1]!, s.out_features, s.bias, be, rng);
    case 'relu':
      return new ReluLayer(path);
    case 'leaky_relu':
      return new LeakyReluLayer(path, s.negative_slope);
    case 'sigmoid':
    case 'tanh':
    case 'gelu':
    case 'silu':
      return new SmoothActivationLayer(path, s.type);
    case 'max_pool2d':
      return new MaxPool2dLayer(path, { kernelSize: s.kernel_size, stride: s.stride, padding: s.padding, dilation: s.dilation, ceilMode: s.ceil_mode });
    case 'avg_pool2d':
      return new AvgPool2dLayer(path, { kernelSize: s.kernel_size, stride: s.stride, padding: s.padding, ceilMode: s.ceil_mode, countIncludePad: s.count_include_pad });
    case 'adaptive_avg_pool2d':
      return new AdaptiveAvgPool2dLayer(path);
    case 'flatten':
      return new FlattenLayer(path);
    case 'dropout':
      return new DropoutLayer(path, s.p);
    case 'batch_norm2d':
      if (input.length !== 4) throw new Error(`layer ${path} batch_norm2d needs a (N, C, H, W) input, receives (${input.join(', ')})`);
      return new BatchNorm2dLayer(path, input[1]!, s.eps, s.momentum, s.affine, be);
    case 'residual': {
      const body = buildLayers(s.body, `${path}.body.`, input, be, rng);
      const shortcut = s.shortcut ? buildLayers(s.shortcut, `${path}.shortcut.`, input, be, rng) : null;
      return new ResidualBlock(path, body, shortcut);
    }
  }
}
