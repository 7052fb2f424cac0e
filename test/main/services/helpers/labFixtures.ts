// Real runs, datasets and image folders for the lab service, browser host, IPC and CLI tests.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { DatasetWriter } from '../../../../src/main/services/datasets';
import { RunStore } from '../../../../src/main/services/runStore';
import type { DatasetManifest } from '../../../../src/shared/datasetFormat';
import type { Float32TensorInput } from '../../../../src/shared/formats/safetensors';
import type { RunManifest } from '../../../../src/shared/runFormat';

export interface RunFixture {
  name?: string;
  config?: unknown;
  modelSpec?: string;
  seed?: number;
  records?: object[];
  checkpoints?: Record<string, Float32TensorInput[]>;
}

/** A finished run with the given metrics records and checkpoints. */
export async function makeRun(home: string, f: RunFixture = {}): Promise<RunManifest> {
  const store = new RunStore(home);
  const writer = await store.create({
    name: f.name,
    config: f.config ?? { lr: 0.01 },
    modelSpec: f.modelSpec ?? 'conv(8,3) relu flatten linear(10)',
    dataset: { id: 'builtin:fashion-mnist-mini' },
    seed: f.seed ?? 1,
  });
  for (const r of f.records ?? []) writer.appendMetrics(r);
  for (const [name, tensors] of Object.entries(f.checkpoints ?? {})) await writer.saveCheckpoint(name, tensors);
  return writer.finish('completed');
}

/** A stored dataset of `perClass` 4×4 grayscale images in each of two classes; pixel = 10·label + i. */
export async function makeDataset(home: string, perClass = 3): Promise<DatasetManifest> {
  const writer = await DatasetWriter.create(home, {
    name: 'tiny',
    source: { kind: 'folder', path: '/nowhere' },
    channels: 1,
    height: 4,
    width: 4,
    classes: ['a', 'b'],
  });
  for (let label = 0; label < 2; label++) {
    for (let i = 0; i < perClass; i++) await writer.append(new Uint8Array(16).fill(10 * label + i), label);
  }
  return writer.commit({ valFraction: 0, seed: 42, report: { skipped: [] } });
}

/** root/<class>/<n>.png, 8×8 grayscale, plus one file that is not an image. */
export async function makePngFolder(root: string, classes: Record<string, number>): Promise<void> {
  for (const [name, count] of Object.entries(classes)) {
    await mkdir(join(root, name), { recursive: true });
    for (let i = 0; i < count; i++) {
      const data = new Uint8Array(64).fill((i * 37) % 256);
      await writeFile(join(root, name, `${i}.png`), encodePng({ width: 8, height: 8, channels: 1, depth: 8, data }));
    }
  }
  await writeFile(join(root, Object.keys(classes)[0], 'broken.png'), 'not a png');
}
