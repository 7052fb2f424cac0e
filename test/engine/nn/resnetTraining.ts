// Replays the PyTorch fixture of ResNet-8's first 20 SGD steps (test/fixtures/engine/
// resnet8-sgd-20-steps.json, from scripts/make_fixtures.py) with the engine's Trainer: the same
// initial weights (drawn here by the fixture's rule), the same batches in order (shuffle off),
// the same normalisation, batch norm in training mode. Shared by the CPU and GPU tiers.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '../../../src/engine/backend';
import { presetSpec } from '../../../src/engine/model/presets';
import { Sequential } from '../../../src/engine/nn/sequential';
import { readStateDict } from '../../../src/engine/nn/stateDict';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { DEFAULT_OPTIMIZER } from '../../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../../src/engine/optim/schedule';
import { Trainer } from '../../../src/engine/train/trainer';
import type { NamedTensor } from '../../../src/engine/train/types';
import { loadDataset } from '../../../src/main/services/datasets/index';
import { seeded } from '../../helpers/random';

export interface ResNetFixture {
  model: string;
  input: [number, number, number];
  classes: number;
  batch: number;
  steps: number;
  lr: number;
  momentum: number;
  mean: number;
  std: number;
  initial_abs_sum: number;
  state_dict_names: string[];
  losses: number[];
}

export const resnetFixture: ResNetFixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/engine/resnet8-sgd-20-steps.json'), 'utf8'));

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

/** The fixture's initial state_dict: weights and biases uniform in ±1/sqrt(fan_in) of their
 *  weight, drawn by splitmix32 seeded with the name's FNV-1a hash; batch norm at its defaults. */
export function initialWeights(template: readonly NamedTensor[]): NamedTensor[] {
  const shapes = new Map(template.map((t) => [t.name, t.shape]));
  return template.map(({ name, shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const owner = name.slice(0, name.lastIndexOf('.'));
    const weightShape = shapes.get(`${owner}.weight`) ?? [];
    const constant = (v: number) => ({ name, shape: [...shape], data: new Float32Array(n).fill(v) });
    if (name.endsWith('running_var')) return constant(1);
    if (name.endsWith('running_mean') || name.endsWith('num_batches_tracked')) return constant(0);
    if (weightShape.length === 1) return constant(name.endsWith('weight') ? 1 : 0);
    const bound = 1 / Math.sqrt(weightShape.slice(1).reduce((a, b) => a * b, 1));
    const draw = seeded(fnv1a(name));
    return { name, shape: [...shape], data: Float32Array.from({ length: n }, () => Math.fround((draw() * 2 - 1) * bound)) };
  });
}

export async function replayResNet<B>(be: Backend<B>): Promise<{ losses: number[]; names: string[]; absSum: number }> {
  const f = resnetFixture;
  const spec = presetSpec(f.model, f.input, f.classes);
  const template = await readStateDict(new Sequential(spec, new CpuBackend(), 0), new CpuBackend());
  const weights = initialWeights(template);
  const absSum = weights.filter((t) => !/running|tracked/.test(t.name)).reduce((s, t) => s + t.data.reduce((a, v) => a + Math.abs(v), 0), 0);
  const ds = await loadDataset('/nonexistent-home-not-needed-for-builtin', 'builtin:fashion-mnist-mini');
  const losses: number[] = [];
  const trainer = new Trainer(be, {
    spec, epochs: 1, batchSize: f.batch, lr: f.lr,
    optimizer: { ...DEFAULT_OPTIMIZER, name: 'sgd', momentum: f.momentum }, schedule: DEFAULT_SCHEDULE,
    seed: 1, maxSteps: f.steps, shuffle: false,
  }, {
    images: ds.images, labels: ds.labels, channels: 1, height: 28, width: 28, classes: f.classes,
    trainIndices: Uint32Array.from({ length: f.steps * f.batch }, (_, i) => i), valIndices: new Uint32Array(0),
    mean: [f.mean], std: [f.std],
  }, {
    resume: { model: weights, optimizer: [], epoch: 0, step: 0 },
    hooks: { onStep: (m) => losses.push(m.loss) },
  });
  await trainer.run();
  return { losses, names: template.map((t) => t.name), absSum };
}
