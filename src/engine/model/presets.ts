// Ready-made models, written in the text form users type, so the presets double as examples.
// Each fits any channel count (the first conv's in_channels is inferred) and any image size its
// downsampling allows (the ResNets and the depthwise-separable net end in global pooling, so any
// size at all); presetSpec(id, input, classes) builds one for a dataset, its last linear layer
// sized to the dataset's classes.

import { ModelShapeError } from './errors';
import { inferShapes } from './infer';
import { parseText } from './parseText';
import type { InputShape, ModelSpec } from './spec';

export interface ModelPreset {
  id: string;
  name: string;
  description: string;
  /** The input it was designed for; any other works where the shapes fit. */
  input: InputShape;
  /** The text form for 10 classes; presetText(preset, classes) for another count. */
  text: string;
}

/** A CIFAR-style basic block (He et al. 2016): two 3×3 convs with batch norm, and a 1×1
 *  projection shortcut where the block changes the channels or the resolution. */
function basicBlock(channels: number, stride: number, project: boolean): string {
  const conv = (s: number) => `conv(${channels},3${s > 1 ? `,s=${s}` : ''},p=1,bias=false) bn`;
  const body = `${conv(stride)} relu ${conv(1)}`;
  const shortcut = project ? ` ; conv(${channels},1${stride > 1 ? `,s=${stride}` : ''},bias=false) bn` : '';
  return `res(${body}${shortcut}) relu`;
}

/** ResNet-(6n+2) for CIFAR: a 16-channel stem, three stages of n blocks at 16, 32, 64 channels
 *  (the first block of stages 2 and 3 halves the resolution), global average pooling, linear. */
function cifarResNet(n: number): string {
  const stage = (channels: number, first: boolean) =>
    Array.from({ length: n }, (_, i) => basicBlock(channels, i === 0 && !first ? 2 : 1, i === 0 && !first)).join(' ');
  return `conv(16,3,p=1,bias=false) bn relu ${stage(16, true)} ${stage(32, false)} ${stage(64, false)} gap flatten linear(10)`;
}

/** Depthwise 3×3 (groups = channels) then pointwise 1×1, each with batch norm and ReLU. */
const separable = (inChannels: number, outChannels: number, stride: number) =>
  `conv(${inChannels},3${stride > 1 ? `,s=${stride}` : ''},p=1,g=${inChannels},bias=false) bn relu conv(${outChannels},1,bias=false) bn relu`;

export const MODEL_PRESETS: readonly ModelPreset[] = [
  {
    id: 'reference',
    name: 'Reference CNN',
    description: 'Two 3×3 conv + max-pool stages and one linear layer (9,098 parameters) for 28×28 grey images: small enough to follow every GEMM by hand.',
    input: [1, 28, 28],
    text: 'conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(10)',
  },
  {
    id: 'lenet5',
    name: 'LeNet-5',
    description: "LeCun's LeNet-5 adapted to 28×28 input (padding 2 in the first conv instead of a 32×32 image), ReLU and max-pool in place of tanh and subsampling.",
    input: [1, 28, 28],
    text: 'conv(6,5,p=2) relu maxpool(2) conv(16,5) relu maxpool(2) flatten linear(120) relu linear(84) relu linear(10)',
  },
  {
    id: 'cifar-small',
    name: 'CIFAR small',
    description: 'Two conv + batch-norm + max-pool stages and a dropout-regularised classifier for 32×32 colour images such as CIFAR-10.',
    input: [3, 32, 32],
    text: 'conv(32,3,p=1) bn relu maxpool(2) conv(64,3,p=1) bn relu maxpool(2) flatten linear(128) relu dropout(0.25) linear(10)',
  },
  {
    id: 'resnet8',
    name: 'ResNet-8',
    description: 'The CIFAR ResNet with one basic block per stage (16-32-64 channels, batch norm, projection shortcuts, global average pooling): 78k parameters, any image size.',
    input: [3, 32, 32],
    text: cifarResNet(1),
  },
  {
    id: 'resnet20',
    name: 'ResNet-20',
    description: 'The CIFAR ResNet of He et al. with three basic blocks per stage (16-32-64 channels, batch norm, global average pooling): 272k parameters, any image size.',
    input: [3, 32, 32],
    text: cifarResNet(3),
  },
  {
    id: 'depthwise-separable',
    name: 'Depthwise-separable CNN',
    description: 'MobileNet-style: a 3×3 stem, then depthwise 3×3 + pointwise 1×1 blocks (two of them halving the resolution), global average pooling: few parameters for its width.',
    input: [3, 32, 32],
    text: `conv(32,3,p=1,bias=false) bn relu ${separable(32, 64, 1)} ${separable(64, 128, 2)} ${separable(128, 128, 1)} ${separable(128, 256, 2)} gap flatten linear(10)`,
  },
];

const HEAD = /linear\(10\)$/;
for (const p of MODEL_PRESETS) if (!HEAD.test(p.text)) throw new Error(`preset ${p.id} must end in linear(10)`);

/** The preset's text with its last layer sized to `classes`. */
export function presetText(preset: ModelPreset, classes: number): string {
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`a preset needs a positive class count, got ${classes}`);
  return preset.text.replace(HEAD, `linear(${classes})`);
}

export function findPreset(id: string): ModelPreset {
  const preset = MODEL_PRESETS.find((p) => p.id === id);
  if (preset === undefined) {
    throw new Error(`unknown model preset "${id}" (known: ${MODEL_PRESETS.map((p) => p.id).join(', ')})`);
  }
  return preset;
}

/** The preset for a dataset's input [C, H, W] and class count; an input it cannot take (smaller
 *  than its pooling allows) is refused with the layer that does not fit. */
export function presetSpec(id: string, input?: readonly number[], classes = 10): ModelSpec {
  const preset = findPreset(id);
  const spec = parseText(presetText(preset, classes), input ?? preset.input);
  try {
    inferShapes(spec);
  } catch (e) {
    if (e instanceof ModelShapeError) {
      throw new Error(`preset "${id}" does not fit ${spec.input.join('×')} images (${e.message}); use larger images or a ResNet preset, which fits any size`);
    }
    throw e;
  }
  return spec;
}
