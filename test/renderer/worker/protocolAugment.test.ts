// The worker's start message carries the run's augmentation (TrainConfig.augment), checked with the
// engine's own rules, so the app refuses exactly what `convlab train --augment` refuses.
import { describe, expect, it } from 'vitest';
import { MODEL_PRESETS, presetSpec } from '../../../src/engine/model/presets';
import { DEFAULT_OPTIMIZER } from '../../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../../src/engine/optim/schedule';
import type { TrainConfig } from '../../../src/engine/train/types';
import { parseToWorker } from '../../../src/renderer/src/worker/protocol';

const config: TrainConfig = {
  spec: presetSpec(MODEL_PRESETS[0]!.id),
  epochs: 2, batchSize: 4, lr: 0.01, optimizer: { ...DEFAULT_OPTIMIZER }, schedule: { ...DEFAULT_SCHEDULE }, seed: 1, shuffle: true,
};
const source = { labSocketUrl: 'ws://127.0.0.1:5173/lab?token=abc', datasetId: 'builtin:fashion-mnist-mini' };
const start = (augment: unknown) => parseToWorker({ type: 'startFetching', config: { ...config, augment }, source });

describe('start with augmentation', () => {
  it('accepts a spec and passes it on unchanged', () => {
    const augment = { crop: 4, flip: true, rrc: 0.6, jitter: 0.2 };
    expect(start(augment)).toMatchObject({ config: { augment } });
    expect(start({})).toMatchObject({ config: { augment: {} } });
    expect(parseToWorker({ type: 'startFetching', config, source })).not.toHaveProperty('config.augment');
  });

  it.each([
    [{ crop: 1.5 }, /config\.augment.*crop: the padding in pixels must be a whole number/],
    [{ flip: 1 }, /config\.augment.*flip must be true or false/],
    [{ cutout: 8 }, /config\.augment.*unknown augmentation "cutout"/],
    ['flip,crop:4', /config\.augment/],
  ])('refuses %j, naming the field', (augment, message) => {
    expect(() => start(augment)).toThrow(message);
  });
});
