// Augmentation inside the trainer, on the float64 CPU twins: each training step gathers its batch
// through gatherBatchAugmented with the table drawn for (seed, step), a resumed run draws what an
// uninterrupted one would, validation never augments, and a spec the images cannot take is
// refused before anything is uploaded.

import { describe, expect, it } from 'vitest';
import type { GatherBatchOptions } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { parseText } from '../../../src/engine/model/parseText';
import { DEFAULT_OPTIMIZER } from '../../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../../src/engine/optim/schedule';
import type { AugmentSpec } from '../../../src/engine/train/augment';
import { augmentTable } from '../../../src/engine/train/augmentDraw';
import { Trainer } from '../../../src/engine/train/trainer';
import type { TrainConfig, TrainData } from '../../../src/engine/train/types';

/** Records the parameter table of every augmented gather, and counts the plain ones. */
class RecordingBackend extends CpuBackend {
  tables: Float64Array[] = [];
  plain = 0;
  override gatherBatch(opts: GatherBatchOptions, images: Float64Array, indices: Float64Array, out: Float64Array): void {
    this.plain++;
    super.gatherBatch(opts, images, indices, out);
  }
  override gatherBatchAugmented(opts: GatherBatchOptions, images: Float64Array, indices: Float64Array, params: Float64Array, out: Float64Array): void {
    this.tables.push(Float64Array.from(params));
    super.gatherBatchAugmented(opts, images, indices, params, out);
  }
}

/** 24 RGB 8×8 images of two classes: a bright square on the left or on the right. */
function data(): TrainData {
  const n = 24;
  const images = new Uint8Array(n * 3 * 64);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 64; p++) images[(i * 3 + c) * 64 + p] = ((p % 8 < 4) === (labels[i] === 1) ? 180 : 30) + ((i * 7 + c * 5 + p) % 40);
    }
  }
  return {
    images, labels, channels: 3, height: 8, width: 8, classes: 2, mean: [0.4, 0.4, 0.4], std: [0.3, 0.3, 0.3],
    trainIndices: Uint32Array.from({ length: 16 }, (_, i) => i), valIndices: Uint32Array.from({ length: 8 }, (_, i) => 16 + i),
  };
}

const augment: AugmentSpec = { crop: 2, flip: true, rrc: 0.5, jitter: 0.3 };
const config = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  spec: parseText('conv(4,3,p=1) relu gap flatten linear(2)', [3, 8, 8]), epochs: 2, batchSize: 8, lr: 0.1,
  optimizer: { ...DEFAULT_OPTIMIZER, momentum: 0.9 }, schedule: { ...DEFAULT_SCHEDULE }, seed: 9, shuffle: true, augment, ...over,
});

describe('training with augmentation', () => {
  it('gathers every training batch through the table of its (seed, step); validation stays plain', async () => {
    const be = new RecordingBackend();
    const trainer = new Trainer(be, config(), data());
    const summary = await trainer.run();
    expect(summary.steps).toBe(4);
    expect(be.tables).toHaveLength(4);
    be.tables.forEach((t, step) => expect(Array.from(t)).toEqual(Array.from(augmentTable(augment, 9, step, 8, 8, 8))));
    expect(be.plain).toBe(2); // one validation pass per epoch, 8 images in one batch
  });

  it('changes what the model sees, and reproduces itself', async () => {
    const losses = async (over: Partial<TrainConfig>): Promise<number[]> => {
      const seen: number[] = [];
      await new Trainer(new CpuBackend(), config(over), data(), { hooks: { onStep: (m) => seen.push(m.loss) } }).run();
      return seen;
    };
    const a = await losses({});
    expect(await losses({})).toEqual(a);
    const plain = await losses({ augment: undefined });
    expect(plain[0]).not.toBe(a[0]);
    expect(await losses({ augment: {} })).toEqual(plain);
  });

  it('a resumed run draws the augmentation of the step it resumes at', async () => {
    const first = new Trainer(new CpuBackend(), config({ maxSteps: 2 }), data());
    await first.run();
    const state = await first.stateDict();
    const be = new RecordingBackend();
    await new Trainer(be, config(), data(), { resume: { ...state, epoch: 1, step: 2 } }).run();
    expect(Array.from(be.tables[0]!)).toEqual(Array.from(augmentTable(augment, 9, 2, 8, 8, 8)));
  });

  it('refuses a spec these images cannot take before uploading anything', () => {
    expect(() => new Trainer(new CpuBackend(), config({ augment: { crop: 8 } }), data())).toThrow(/crop:8 pads by at least the image side/);
    expect(() => new Trainer(new CpuBackend(), config({ augment: { rrc: 0 } }), data())).toThrow(/rrc: the smallest area fraction must be a number above 0/);
  });
});
