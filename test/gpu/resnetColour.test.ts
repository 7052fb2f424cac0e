// ResNet-8 on a small 32×32 colour set on the GPU, with augmentation: a folder of drawn shapes
// (scripts/make_shapes_folder.mjs) imported at 32 px trains a few steps with flip,crop:4,jitter
// on WebGPU and gives the float64 CPU twins' losses (same weights, batches and augmentation
// draws) within 1e-3 relative, and validation on both sides agrees.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeShapesFolder } from '../../scripts/make_shapes_folder.mjs';
import type { Backend } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { presetSpec } from '../../src/engine/model/presets';
import { DEFAULT_OPTIMIZER } from '../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../src/engine/optim/schedule';
import { Trainer } from '../../src/engine/train/trainer';
import type { TrainConfig, TrainData } from '../../src/engine/train/types';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { importImageFolder } from '../../src/main/services/datasets/imageFolder';
import { loadDataset } from '../../src/main/services/datasets/index';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

let gpu: WebGpuBackend | null = null;
let home: string;
let data: TrainData;
const STEPS = 4;

beforeAll(async () => {
  const ctx = await gpuContext();
  gpu = ctx ? new WebGpuBackend(ctx) : null;
  home = await mkdtemp(join(tmpdir(), 'convlab-resnet-colour-'));
  await writeShapesFolder(join(home, 'shapes'), { perClass: 8, size: 40, seed: 11 });
  const imported = await importImageFolder(home, { path: join(home, 'shapes'), size: 32, channels: 3, valFraction: 0.25, seed: 2 });
  const d = await loadDataset(home, imported.manifest.id);
  data = { ...d, classes: d.classes.length };
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

async function train<B>(be: Backend<B>): Promise<{ losses: number[]; val: { loss: number; accuracy: number } }> {
  const config: TrainConfig = {
    spec: presetSpec('resnet8', [3, 32, 32], data.classes), epochs: 2, batchSize: 12, lr: 0.05,
    optimizer: { ...DEFAULT_OPTIMIZER, momentum: 0.9 }, schedule: { ...DEFAULT_SCHEDULE }, seed: 4, maxSteps: STEPS, shuffle: true,
    augment: { flip: true, crop: 4, jitter: 0.2 },
  };
  const losses: number[] = [];
  const summary = await new Trainer(be, config, data, { hooks: { onStep: (m) => losses.push(m.loss) } }).run();
  return { losses, val: { loss: summary.valLoss, accuracy: summary.valAccuracy } };
}

describe('ResNet-8 on 32×32 colour images (WebGPU)', () => {
  it.skipIf(noGpu)('trains with augmentation and matches the CPU twins step for step', async () => {
    requireGpu(gpu);
    expect([data.channels, data.height, data.width, data.trainIndices.length]).toEqual([3, 32, 32, 36]);
    const onGpu = await train(gpu);
    const onCpu = await train(new CpuBackend());
    expect(onGpu.losses).toHaveLength(STEPS);
    onGpu.losses.forEach((loss, i) => {
      const want = onCpu.losses[i]!;
      expect(Math.abs(loss - want) / want, `step ${i + 1}: GPU ${loss} vs CPU ${want}`).toBeLessThan(1e-3);
    });
    expect(Math.abs(onGpu.val.loss - onCpu.val.loss) / onCpu.val.loss).toBeLessThan(1e-3);
    expect(onGpu.val.accuracy).toBe(onCpu.val.accuracy);
  });
});
