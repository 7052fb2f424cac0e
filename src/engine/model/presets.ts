// Ready-made models, written in the text form users type, so the presets double as examples.

import { parseText } from './parseText';
import type { InputShape, ModelSpec } from './spec';

export interface ModelPreset {
  id: string;
  name: string;
  description: string;
  input: InputShape;
  text: string;
}

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
];

export function presetSpec(id: string): ModelSpec {
  const preset = MODEL_PRESETS.find((p) => p.id === id);
  if (preset === undefined) {
    throw new Error(`unknown model preset "${id}" (known: ${MODEL_PRESETS.map((p) => p.id).join(', ')})`);
  }
  return parseText(preset.text, preset.input);
}
