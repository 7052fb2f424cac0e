// Replays the PyTorch fixture of the reference model's first 20 SGD steps on a backend:
// the same initial weights, the same batches in the same order, the same normalisation.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '../../src/engine/backend';
import { parseText } from '../../src/engine/model/parseText';
import { DEFAULT_OPTIMIZER } from '../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../src/engine/optim/schedule';
import { Trainer } from '../../src/engine/train/trainer';
import { loadDataset } from '../../src/main/services/datasets/index';

interface Fixture {
  batch: number;
  steps: number;
  lr: number;
  momentum: number;
  mean: number;
  std: number;
  model: string;
  initial_state_dict: Record<string, { shape: number[]; data: number[] }>;
  losses: number[];
}

export const parityFixture: Fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/engine/reference-sgd-20-steps.json'), 'utf8'));

export async function replayParity<B>(be: Backend<B>): Promise<number[]> {
  const f = parityFixture;
  const ds = await loadDataset('/nonexistent-home-not-needed-for-builtin', 'builtin:fashion-mnist-mini');
  const used = f.steps * f.batch;
  const trainer = new Trainer(be, {
    spec: parseText(f.model, [1, 28, 28]), epochs: 1, batchSize: f.batch, lr: f.lr,
    optimizer: { ...DEFAULT_OPTIMIZER, name: 'sgd', momentum: f.momentum }, schedule: DEFAULT_SCHEDULE,
    seed: 1, maxSteps: f.steps, shuffle: false,
  }, {
    images: ds.images, labels: ds.labels, channels: 1, height: 28, width: 28, classes: 10,
    trainIndices: Uint32Array.from({ length: used }, (_, i) => i), valIndices: new Uint32Array(0),
    mean: [f.mean], std: [f.std],
  }, {
    resume: {
      model: Object.entries(f.initial_state_dict).map(([name, t]) => ({ name, shape: t.shape, data: Float32Array.from(t.data) })),
      optimizer: [], epoch: 0, step: 0,
    },
    hooks: { onStep: (m) => losses.push(m.loss) },
  });
  const losses: number[] = [];
  await trainer.run();
  return losses;
}
