// The shortest text form of a spec: only what differs from the defaults, short names and no
// spaces inside the parentheses, so that parseText(formatText(spec), spec.input) gives the same
// canonical spec back. Square sizes are written as one int, others as HxW.

import { DEFAULTS } from './layers';
import type { LayerSpec, ModelSpec, Pair } from './spec';

const size = (p: Pair): string => (p[0] === p[1] ? String(p[0]) : `${p[0]}x${p[1]}`);
const isOne = (p: Pair): boolean => p[0] === 1 && p[1] === 1;
const isZero = (p: Pair): boolean => p[0] === 0 && p[1] === 0;
const sameAs = (a: Pair, b: Pair): boolean => a[0] === b[0] && a[1] === b[1];

function call(name: string, args: string[]): string {
  return args.length === 0 ? name : `${name}(${args.join(',')})`;
}

export function formatLayer(layer: LayerSpec): string {
  switch (layer.type) {
    case 'conv2d': {
      const args = [String(layer.out_channels), size(layer.kernel_size)];
      if (!isOne(layer.stride)) args.push(`s=${size(layer.stride)}`);
      if (layer.padding === 'same') args.push('p=same');
      else if (!isZero(layer.padding)) args.push(`p=${size(layer.padding)}`);
      if (layer.padding_mode) args.push(`pm=${layer.padding_mode}`);
      if (!isOne(layer.dilation)) args.push(`d=${size(layer.dilation)}`);
      if (layer.groups !== 1) args.push(`g=${layer.groups}`);
      if (!layer.bias) args.push('bias=false');
      return call('conv', args);
    }
    case 'linear':
      return call('linear', layer.bias ? [String(layer.out_features)] : [String(layer.out_features), 'bias=false']);
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'gelu':
    case 'silu':
      return layer.type;
    case 'adaptive_avg_pool2d':
      return 'gap';
    case 'leaky_relu':
      return call('lrelu', layer.negative_slope === DEFAULTS.leakyReluSlope ? [] : [String(layer.negative_slope)]);
    case 'max_pool2d':
    case 'avg_pool2d': {
      const args = [size(layer.kernel_size)];
      if (!sameAs(layer.stride, layer.kernel_size)) args.push(`s=${size(layer.stride)}`);
      if (!isZero(layer.padding)) args.push(`p=${size(layer.padding)}`);
      if (layer.type === 'max_pool2d' && !isOne(layer.dilation)) args.push(`d=${size(layer.dilation)}`);
      if (layer.ceil_mode) args.push('ceil');
      if (layer.type === 'avg_pool2d' && !layer.count_include_pad) args.push('nopad');
      return call(layer.type === 'max_pool2d' ? 'maxpool' : 'avgpool', args);
    }
    case 'flatten':
      return 'flatten';
    case 'dropout':
      return call('dropout', layer.p === DEFAULTS.dropoutP ? [] : [String(layer.p)]);
    case 'residual': {
      const body = layer.body.map(formatLayer).join(' ');
      return layer.shortcut ? `res(${body} ; ${layer.shortcut.map(formatLayer).join(' ')})` : `res(${body})`;
    }
    case 'batch_norm2d': {
      const args: string[] = [];
      if (layer.eps !== DEFAULTS.batchNormEps) args.push(`eps=${layer.eps}`);
      if (layer.momentum !== DEFAULTS.batchNormMomentum) args.push(`momentum=${layer.momentum}`);
      if (!layer.affine) args.push('affine=false');
      return call('bn', args);
    }
  }
}

/** The layers as text; the input shape is not part of the text form (it comes from the dataset). */
export function formatText(spec: ModelSpec): string {
  return spec.layers.map(formatLayer).join(' ');
}
