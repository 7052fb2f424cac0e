// Inputs beyond 28×28, end to end on the float64 CPU twins: a colour folder (procedurally drawn
// shapes, scripts/make_shapes_folder.mjs) imported at 32, 48, 64 and 96 px trains ResNet-8 with
// augmentation through the one training session into a real run store; a small CIFAR-10 batch
// file (written by the same script: a few hundred records, not the 30 MB of a real batch) trains
// cifar-small, ResNet-8 and ResNet-20. One step each: the point is that every size and model runs
// through import, the batch check, training, validation and the final evaluation.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapesCifarBatch, writeShapesFolder } from '../../../scripts/make_shapes_folder.mjs';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { presetSpec } from '../../../src/engine/model/presets';
import { DEFAULT_OPTIMIZER } from '../../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../../src/engine/optim/schedule';
import { runTrainingSession } from '../../../src/engine/train/session';
import type { TrainConfig } from '../../../src/engine/train/types';
import { importCifar10, loadDataset } from '../../../src/main/services/datasets/index';
import { importImageFolder } from '../../../src/main/services/datasets/imageFolder';
import { RunStore } from '../../../src/main/services/runStore';
import { storeRunSink } from '../../../src/main/services/runs/storeSink';
import type { LoadedDataset } from '../../../src/shared/datasetFormat';

let home: string;
let folder: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-large-'));
  folder = join(home, 'shapes');
  // 6 classes × 4: 24 images, 3 of them in the validation split.
  await writeShapesFolder(folder, { perClass: 4, size: 64, seed: 7 });
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

async function trainOneStep(data: LoadedDataset, model: string, augment?: TrainConfig['augment']) {
  const spec = presetSpec(model, [data.channels, data.height, data.width], data.classes.length);
  const config: TrainConfig = {
    spec, epochs: 1, batchSize: 4, lr: 0.05, optimizer: { ...DEFAULT_OPTIMIZER, momentum: 0.9 }, schedule: { ...DEFAULT_SCHEDULE },
    seed: 1, maxSteps: 1, shuffle: true, ...(augment ? { augment } : {}),
  };
  const store = new RunStore(home);
  const result = await runTrainingSession({
    backend: new CpuBackend(), data, spec, config, sink: storeRunSink(store),
    record: { dataRef: data.id, convAlgorithm: 'auto', versions: { convlab: 'test' } },
  });
  return { result, manifest: await store.get(result.runId) };
}

describe('colour inputs beyond 28×28 (CPU twins)', () => {
  it.each([32, 48, 64, 96])('a folder imported at %i px trains ResNet-8 with flip,crop:4', async (size) => {
    const imported = await importImageFolder(home, { path: folder, size, channels: 3, valFraction: 0.125, seed: 3 });
    const data = await loadDataset(home, imported.manifest.id);
    expect([data.channels, data.height, data.width]).toEqual([3, size, size]);
    const { result, manifest } = await trainOneStep(data, 'resnet8', { flip: true, crop: 4 });
    expect(result.status).toBe('completed');
    expect(result.summary.steps).toBe(1);
    expect(Number.isFinite(result.summary.trainLoss)).toBe(true);
    expect(Number.isFinite(result.summary.valLoss)).toBe(true);
    expect(manifest.preprocessing).toMatchObject({ input: [3, size, size] });
    expect((manifest.config as { train: TrainConfig }).train.augment).toEqual({ flip: true, crop: 4 });
  }, 120_000);

  it.each(['cifar-small', 'resnet8', 'resnet20'])('%s trains on a small CIFAR-10 batch file', async (model) => {
    const file = join(home, `shapes-${model}.bin`);
    await writeFile(file, shapesCifarBatch({ perClass: 3, seed: 5 }));
    const imported = await importCifar10(home, { files: [file], valFraction: 0.2, seed: 1 });
    const data = await loadDataset(home, imported.manifest.id);
    expect([data.channels, data.height, data.width, data.labels.length]).toEqual([3, 32, 32, 18]);
    const { result } = await trainOneStep(data, model);
    expect(result.status).toBe('completed');
    expect(Number.isFinite(result.summary.trainLoss)).toBe(true);
  }, 120_000);
});
