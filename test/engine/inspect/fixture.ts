// A model to inspect on the float64 CPU backend: random weights (the seeded init), batch norms
// with running statistics and affine parameters that are not the identity, and random uint8
// images uploaded as the evaluation path uploads them.

import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { uploadImages } from '../../../src/engine/eval/evaluate';
import type { DeviceImages } from '../../../src/engine/eval/logits';
import { parseText } from '../../../src/engine/model/parseText';
import { BatchNorm2dLayer } from '../../../src/engine/nn/batchNorm2d';
import { Sequential } from '../../../src/engine/nn/sequential';
import { seeded } from '../../helpers/random';

export interface CpuFixture {
  be: CpuBackend;
  model: Sequential<Float64Array>;
  source: DeviceImages<Float64Array>;
  pixels: Uint8Array;
  mean: number[];
  std: number[];
}

export function cpuFixture(text: string, input: [number, number, number], count: number, seed = 3): CpuFixture {
  const be = new CpuBackend();
  const model = new Sequential(parseText(text, input), be, seed);
  const next = seeded(seed + 100);
  for (const { layer } of model.modules()) {
    if (!(layer instanceof BatchNorm2dLayer)) continue;
    for (let c = 0; c < layer.channels; c++) {
      layer.runningMean.data[c] = next() - 0.5;
      layer.runningVar.data[c] = 0.5 + next();
      layer.weight.data[c] = 0.5 + next();
      layer.bias.data[c] = next() - 0.5;
    }
  }
  const [channels, height, width] = input;
  const pixels = Uint8Array.from({ length: count * channels * height * width }, () => Math.floor(next() * 256));
  const mean = Array.from({ length: channels }, (_, c) => 0.3 + 0.1 * c);
  const std = Array.from({ length: channels }, (_, c) => 0.25 + 0.05 * c);
  const source = uploadImages(be, { images: pixels, channels, height, width, mean, std });
  return { be, model, source, pixels, mean, std };
}
