// model.py of an exported PyTorch project: the run's model spec as the PyTorch modules it mirrors
// (docs/formats/model-spec.md), one spec layer per nn.Sequential entry, so the state_dict names
// are Conv Lab's and `load_state_dict(strict=True)` takes its checkpoints. Written as a person
// would write it: constructor arguments only where they differ from PyTorch's defaults.

import { formatText } from '../../../../engine/model/formatText';
import { inferShapes, type LayerShape } from '../../../../engine/model/infer';
import type { LayerSpec, ModelSpec, Pair } from '../../../../engine/model/spec';

const RESIDUAL_CLASS = `class Residual(nn.Module):
    """out = body(x) + shortcut(x); no shortcut is the identity (Conv Lab's res(...) block)."""

    def __init__(self, body: nn.Sequential, shortcut: nn.Sequential | None = None):
        super().__init__()
        self.body, self.shortcut = body, shortcut

    def forward(self, x):
        return self.body(x) + (x if self.shortcut is None else self.shortcut(x))
`;

export function modelPy(spec: ModelSpec): string {
  const shapes = inferShapes(spec, 1).layers;
  const usesResidual = JSON.stringify(spec.layers).includes('"residual"');
  const body = sequential(spec.layers, shapes, 2);
  return [
    `"""The Conv Lab model as PyTorch modules, with the same structure and state_dict names:`,
    '',
    `    ${formatText(spec)}`,
    '',
    `Input: ${spec.input[0]}×${spec.input[1]}×${spec.input[2]} images (N, C, H, W), normalised as project.json's "preprocessing" says.`,
    `Output: one logit per class.`,
    `"""`,
    'import torch.nn as nn',
    '',
    '',
    ...(usesResidual ? [RESIDUAL_CLASS, ''] : []),
    'def build_model() -> nn.Sequential:',
    `    return ${body}`,
    '',
  ].join('\n');
}

function sequential(layers: readonly LayerSpec[], shapes: readonly LayerShape[], depth: number): string {
  const pad = '    '.repeat(depth);
  const items = layers.map((layer, i) => `${pad}${module(layer, shapes[i]!, depth)},  # ${i}`);
  return `nn.Sequential(\n${items.join('\n')}\n${'    '.repeat(depth - 1)})`;
}

function module(layer: LayerSpec, shape: LayerShape, depth: number): string {
  const inC = shape.inputShape[0]!;
  switch (layer.type) {
    case 'conv2d': {
      const args = [String(inC), String(layer.out_channels), `kernel_size=${pair(layer.kernel_size)}`];
      if (!same(layer.stride, [1, 1])) args.push(`stride=${pair(layer.stride)}`);
      if (layer.padding === 'same') args.push(`padding='same'`);
      else if (!same(layer.padding, [0, 0])) args.push(`padding=${pair(layer.padding)}`);
      if (!same(layer.dilation, [1, 1])) args.push(`dilation=${pair(layer.dilation)}`);
      if (layer.groups !== 1) args.push(`groups=${layer.groups}`);
      if (!layer.bias) args.push('bias=False');
      if (layer.padding_mode) args.push(`padding_mode='${layer.padding_mode}'`);
      return `nn.Conv2d(${args.join(', ')})`;
    }
    case 'linear':
      return `nn.Linear(${shape.inputShape[0]}, ${layer.out_features}${layer.bias ? '' : ', bias=False'})`;
    case 'relu':
      return 'nn.ReLU()';
    case 'leaky_relu':
      return layer.negative_slope === 0.01 ? 'nn.LeakyReLU()' : `nn.LeakyReLU(${num(layer.negative_slope)})`;
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'tanh':
      return 'nn.Tanh()';
    case 'gelu':
      return 'nn.GELU()';
    case 'silu':
      return 'nn.SiLU()';
    case 'max_pool2d': {
      const args = [pair(layer.kernel_size)];
      if (!same(layer.stride, layer.kernel_size)) args.push(`stride=${pair(layer.stride)}`);
      if (!same(layer.padding, [0, 0])) args.push(`padding=${pair(layer.padding)}`);
      if (!same(layer.dilation, [1, 1])) args.push(`dilation=${pair(layer.dilation)}`);
      if (layer.ceil_mode) args.push('ceil_mode=True');
      return `nn.MaxPool2d(${args.join(', ')})`;
    }
    case 'avg_pool2d': {
      const args = [pair(layer.kernel_size)];
      if (!same(layer.stride, layer.kernel_size)) args.push(`stride=${pair(layer.stride)}`);
      if (!same(layer.padding, [0, 0])) args.push(`padding=${pair(layer.padding)}`);
      if (layer.ceil_mode) args.push('ceil_mode=True');
      if (!layer.count_include_pad) args.push('count_include_pad=False');
      return `nn.AvgPool2d(${args.join(', ')})`;
    }
    case 'adaptive_avg_pool2d':
      return `nn.AdaptiveAvgPool2d(${pair(layer.output_size)})`;
    case 'flatten':
      return 'nn.Flatten()';
    case 'dropout':
      return layer.p === 0.5 ? 'nn.Dropout()' : `nn.Dropout(${num(layer.p)})`;
    case 'batch_norm2d': {
      const args = [String(inC)];
      if (layer.eps !== 1e-5) args.push(`eps=${num(layer.eps)}`);
      if (layer.momentum !== 0.1) args.push(`momentum=${num(layer.momentum)}`);
      if (!layer.affine) args.push('affine=False');
      return `nn.BatchNorm2d(${args.join(', ')})`;
    }
    case 'residual': {
      const inner = depth + 1;
      const body = sequential(layer.body, shape.body!, inner);
      const shortcut = layer.shortcut ? sequential(layer.shortcut, shape.shortcut!, inner) : null;
      return shortcut ? `Residual(\n${'    '.repeat(inner)}${body},\n${'    '.repeat(inner)}${shortcut},\n${'    '.repeat(depth)})` : `Residual(${body})`;
    }
  }
}

/** A square pair as one number, as PyTorch users write kernel_size=3. */
function pair(p: Pair): string {
  return p[0] === p[1] ? String(p[0]) : `(${p[0]}, ${p[1]})`;
}

function same(a: Pair, b: Pair): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** Python literal of a float (1e-05, 0.2). */
function num(v: number): string {
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}
