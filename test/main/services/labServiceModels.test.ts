// The LabApi methods the app's worker computes with: runs.model (spec, weights, preprocessing of a
// checkpoint), runs.evalData (the images to evaluate on, fitted and labelled in the run's class
// order), images.prepare (a file's bytes as the model sees it) and datasets.images (by index).
// Real runs trained by the engine's session on the CPU twins, real files in a temp home.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { parseText } from '../../../src/engine/model/parseText';
import { DEFAULT_OPTIMIZER } from '../../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../../src/engine/optim/schedule';
import { runTrainingSession } from '../../../src/engine/train/session';
import { DatasetWriter, loadDataset } from '../../../src/main/services/datasets';
import { createLabService } from '../../../src/main/services/labService';
import { RunStore } from '../../../src/main/services/runStore';
import { storeRunSink } from '../../../src/main/services/runs/storeSink';
import { labArgSchemas } from '../../../src/shared/labSchemas';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-labmodels-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** A stored 1×6×6 dataset of two classes (bright left vs bright right), 4 of each in validation. */
async function storedSet(classes = ['left', 'right']): Promise<string> {
  const writer = await DatasetWriter.create(home, { name: 'sides', source: { kind: 'folder', path: '/x', fit: 'pad' }, channels: 1, height: 6, width: 6, classes });
  for (let i = 0; i < 24; i++) {
    const label = i % 2;
    const img = new Uint8Array(36);
    for (let p = 0; p < 36; p++) img[p] = (p % 6 < 3) === (label === 0) ? 220 : 20 + i;
    await writer.append(img, label);
  }
  return (await writer.commit({ valFraction: 1 / 3, seed: 1, report: { skipped: [] } })).id;
}

async function trainedRun(datasetId: string): Promise<string> {
  const d = await loadDataset(home, datasetId);
  const spec = parseText('conv(2,3) relu flatten linear(2)', [1, 6, 6]);
  const result = await runTrainingSession({
    backend: new CpuBackend() as never, spec, sink: storeRunSink(new RunStore(home)),
    data: { ...d },
    config: { spec, epochs: 2, batchSize: 4, lr: 0.1, optimizer: { ...DEFAULT_OPTIMIZER }, schedule: { ...DEFAULT_SCHEDULE }, seed: 1, shuffle: true },
    record: { dataRef: datasetId, convAlgorithm: 'auto', versions: {} },
  });
  return result.runId;
}

describe('LabApi for computing with a trained run', () => {
  it('serves a run\'s model: the best checkpoint by default, its spec, float32 weights and preprocessing', async () => {
    const lab = createLabService({ home });
    const runId = await trainedRun(await storedSet());
    const m = await lab.runs.model(runId);
    expect(m).toMatchObject({ runId, checkpoint: 'best', preprocessing: { input: [1, 6, 6], fit: 'pad', classes: ['left', 'right'] } });
    expect((m.spec as { input: number[] }).input).toEqual([1, 6, 6]);
    expect(m.tensors.map((t) => t.name)).toEqual(['0.weight', '0.bias', '3.weight', '3.bias']);
    expect(m.tensors[0]!.data.byteLength).toBe(2 * 9 * 4);
    expect((await lab.runs.model(runId, 'epoch-1')).checkpoint).toBe('epoch-1');
    await expect(lab.runs.model(runId, 'last-optimizer')).rejects.toThrow(/optimizer-state checkpoint/);
  });

  it('prepares evaluation data: the validation split by default, another dataset with the same classes in another order, and refuses other classes', async () => {
    const lab = createLabService({ home });
    const own = await storedSet();
    const runId = await trainedRun(own);
    const val = await lab.runs.evalData(runId);
    expect(val).toMatchObject({ id: own, split: 'validation', channels: 1, height: 6, width: 6 });
    expect(val.indices.byteLength / 4).toBe(8);

    const swapped = await storedSet(['right', 'left']); // the same images, classes named the other way round
    const other = await lab.runs.evalData(runId, swapped);
    expect(other.split).toBe('all');
    expect(other.labels.length).toBe(24);
    // Image 0 is class 0 of the swapped set ('right'), which is class 1 of the run.
    expect(other.labels[0]).toBe(1);

    const foreign = await storedSet(['cat', 'dog']);
    await expect(lab.runs.evalData(runId, foreign)).rejects.toThrow(/has classes the model does not know: "cat", "dog"/);
  });

  it('prepares an image file as the model sees it, at any size, and refuses what is not an image', async () => {
    const lab = createLabService({ home });
    const runId = await trainedRun(await storedSet());
    const { preprocessing } = await lab.runs.model(runId);
    // A 12×4 colour PNG becomes a 1×6×6 grey image, padded (the run's fit).
    const rgb = new Uint8Array(12 * 4 * 3).fill(255);
    const png = encodePng({ width: 12, height: 4, channels: 3, depth: 8, data: rgb });
    const prepared = await lab.images.prepare({ name: 'wide.png', bytes: png }, preprocessing);
    expect(prepared).toMatchObject({ name: 'wide.png', original: { width: 12, height: 4, channels: 3 } });
    expect(prepared.pixels.length).toBe(36);
    expect(prepared.pixels[0]).toBe(0); // the padding above the image
    expect(prepared.pixels[3 * 6 + 2]).toBe(255); // the image itself
    await expect(lab.images.prepare({ name: 'notes.png', bytes: new TextEncoder().encode('hello') }, preprocessing)).rejects.toThrow(/^notes\.png cannot be used: /);
    await expect(lab.images.prepare({ name: 'cut.png', bytes: png.subarray(0, 40) }, preprocessing)).rejects.toThrow(/cut\.png cannot be used: .*(truncated|corrupt)/i);
    expect(labArgSchemas('browser')['images.prepare'].safeParse([{ name: 'x', bytes: png }, { ...preprocessing, mean: [] }]).success).toBe(false);
  });

  it('serves dataset images by index, in the order asked, and refuses an index out of range', async () => {
    const lab = createLabService({ home });
    const id = await storedSet();
    const got = await lab.datasets.images(id, [3, 0]);
    expect(got).toMatchObject({ channels: 1, height: 6, width: 6, labels: [1, 0] });
    expect(got.images.length).toBe(72);
    expect(got.images[0]).toBe(20 + 3); // image 3 (class 1) is dark on the left
    const builtin = await lab.datasets.images('builtin:fashion-mnist-mini', [10_000]);
    expect(builtin.labels).toHaveLength(1);
    await expect(lab.datasets.images(id, [24])).rejects.toThrow(/has 24 images; there is no image 24/);
  });
});
