// The one training session, on the float64 CPU twins and a real run store in a temp folder: what a
// run records (manifest, preprocessing, metrics, checkpoints best/last/epoch-N, summary), early
// stopping, a fixed batch order, bad input that leaves no run, a failure that leaves a failed run,
// and resuming where a stop left off.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { parseText } from '../../../src/engine/model/parseText';
import { DEFAULT_OPTIMIZER } from '../../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../../src/engine/optim/schedule';
import { TrainControl } from '../../../src/engine/train/control';
import { planResume } from '../../../src/engine/train/resume';
import type { RunSink } from '../../../src/engine/train/runSink';
import { runTrainingSession, type SessionDataset, type TrainingSessionOptions } from '../../../src/engine/train/session';
import type { TrainConfig } from '../../../src/engine/train/types';
import { RunStore } from '../../../src/main/services/runStore';
import { storeRunReader, storeRunSink } from '../../../src/main/services/runs/storeSink';
import { PREPROCESSING_KEY } from '../../../src/shared/runRecord';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-session-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** 40 grey 6×6 images of two classes: class 1 is bright on the left half, class 0 on the right. */
function twoSidesDataset(): SessionDataset {
  const n = 40;
  const images = new Uint8Array(n * 36);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    labels[i] = label;
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 6; x++) images[i * 36 + y * 6 + x] = (x < 3) === (label === 1) ? 200 + (i % 7) : 20 + ((i * 3) % 11);
    }
  }
  const all = [...Array(n).keys()];
  return {
    id: 'ds-20261206-120000-abcd', name: 'two sides', classes: ['right', 'left'], channels: 1, height: 6, width: 6,
    images, labels, trainIndices: Uint32Array.from(all.slice(0, 32)), valIndices: Uint32Array.from(all.slice(32)),
    mean: [0.4], std: [0.3], fit: 'pad',
  };
}

const spec = parseText('conv(2,3) relu flatten linear(2)', [1, 6, 6]);
const baseConfig = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  spec, epochs: 3, batchSize: 8, lr: 0.1, optimizer: { ...DEFAULT_OPTIMIZER, momentum: 0.9 }, schedule: { ...DEFAULT_SCHEDULE }, seed: 3, shuffle: true, ...over,
});

function session(over: Partial<TrainingSessionOptions<unknown>> = {}): TrainingSessionOptions<unknown> {
  return {
    backend: new CpuBackend() as never, data: twoSidesDataset(), spec, config: baseConfig(), sink: storeRunSink(new RunStore(home)),
    record: { dataRef: 'ds-20261206-120000-abcd', convAlgorithm: 'auto', versions: { convlab: 'test' } }, ...over,
  };
}

describe('training session', () => {
  it('records a complete run: manifest, preprocessing, stamped metrics, checkpoints and a summary with the best epoch', async () => {
    const before = Date.now();
    const result = await runTrainingSession(session());
    expect(result.status).toBe('completed');
    const store = new RunStore(home);
    const m = await store.get(result.runId);
    expect(m.status).toBe('completed');
    expect(m.preprocessing).toEqual({ input: [1, 6, 6], fit: 'pad', mean: [0.4], std: [0.3], classes: ['right', 'left'] });
    expect(m.config).toMatchObject({ data: 'ds-20261206-120000-abcd', model: 'conv(2,3) relu flatten linear(2)', backend: 'cpu', convAlgorithm: 'auto', train: { epochs: 3, batchSize: 8 } });
    expect(m.adapter).toEqual({ backend: 'cpu', description: 'float64 CPU twins' });

    const records = await store.readMetrics(result.runId);
    const steps = records.filter((r) => r.kind === 'step');
    const epochs = records.filter((r) => r.kind === 'epoch') as unknown as Array<{ epoch: number; valAccuracy: number; valLoss: number }>;
    expect(steps.map((r) => r.step)).toEqual([...Array(12).keys()].map((i) => i + 1));
    expect(epochs.map((r) => r.epoch)).toEqual([1, 2, 3]);
    // `time` is wall-clock milliseconds (docs/formats/run.md); `elapsed` is seconds into the session.
    for (const r of records) expect(r.time!).toBeGreaterThanOrEqual(before);
    expect((steps[11] as unknown as { elapsed: number }).elapsed).toBeLessThan(600);

    const names = (await store.listCheckpoints(result.runId)).map((c) => c.name);
    expect(names).toEqual(['best', 'epoch-1', 'epoch-2', 'epoch-3', 'last', 'last-optimizer']);
    const last = await store.readCheckpoint(result.runId, 'last');
    expect(JSON.parse(last.metadata[PREPROCESSING_KEY]!)).toEqual(m.preprocessing);
    expect(last.metadata).toMatchObject({ format: 'pytorch-state-dict', epoch: '3', step: '12' });

    // The best epoch is the highest validation accuracy; ties go to the lower loss.
    let best = epochs[0]!;
    for (const e of epochs.slice(1)) if (e.valAccuracy > best.valAccuracy || (e.valAccuracy === best.valAccuracy && e.valLoss < best.valLoss)) best = e;
    expect(m.summary).toMatchObject({ bestValAccuracy: best.valAccuracy, bestValLoss: best.valLoss, bestEpoch: best.epoch, bestCheckpoint: 'best', lastCheckpoint: 'last', epochs: 3, steps: 12 });
    const bestFile = await store.readCheckpoint(result.runId, 'best');
    expect(bestFile.metadata.epoch).toBe(String(best.epoch));

    // The validation evaluation of the best weights is stored with the run.
    const evaluations = await store.listEvaluations(result.runId);
    expect(evaluations.map((e) => e.name)).toEqual(['ds-20261206-120000-abcd.validation.best']);
    expect(m.summary.evaluation).toBe('ds-20261206-120000-abcd.validation.best');
    const report = await store.readEvaluation(result.runId, evaluations[0]!.name);
    expect(report).toMatchObject({ runId: result.runId, checkpoint: 'best', n: 8, classes: ['right', 'left'], dataset: { id: 'ds-20261206-120000-abcd', split: 'validation' } });
    expect(report.accuracy).toBeCloseTo(best.valAccuracy, 12);
    expect(report.loss).toBeCloseTo(best.valLoss, 6);
    const trace = report.confusion.reduce((a, row, i) => a + row[i]!, 0);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(report.n);
    expect(report.accuracy).toBe(trace / report.n);
    expect(report.samples.index).toEqual([32, 33, 34, 35, 36, 37, 38, 39]);
    expect(report.samples.label).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
  });

  it('stops early, as completed, once the validation accuracy has not improved for PATIENCE epochs', async () => {
    // lr 0: the weights never change, so epoch 1 is the best and every later epoch ties it.
    const result = await runTrainingSession(session({ config: baseConfig({ epochs: 10, lr: 0, earlyStop: 2 }) }));
    expect(result.status).toBe('completed');
    expect(result.summary.epochs).toBe(3);
    const m = await new RunStore(home).get(result.runId);
    expect(m.summary.stopReason).toMatch(/^early stop: no better validation accuracy for 2 epochs \(best .*% at epoch 1\)$/);
    expect(m.summary.bestEpoch).toBe(1);
  });

  it('refuses early stopping without a validation split, before any run exists', async () => {
    const data = { ...twoSidesDataset(), valIndices: new Uint32Array(0) };
    await expect(runTrainingSession(session({ data, config: baseConfig({ earlyStop: 2 }) }))).rejects.toThrow(/no validation split/);
    expect(await new RunStore(home).list()).toEqual([]);
  });

  it('keeps one batch order every epoch with shuffle off (the same losses when the weights do not move)', async () => {
    const result = await runTrainingSession(session({ config: baseConfig({ epochs: 2, lr: 0, shuffle: false }) }));
    const losses = (await new RunStore(home).readMetrics(result.runId)).filter((r) => r.kind === 'step').map((r) => r.loss as number);
    expect(losses.slice(4)).toEqual(losses.slice(0, 4));
    const shuffled = await runTrainingSession(session({ config: baseConfig({ epochs: 2, lr: 0, shuffle: true }) }));
    const other = (await new RunStore(home).readMetrics(shuffled.runId)).filter((r) => r.kind === 'step').map((r) => r.loss as number);
    expect(other.slice(4)).not.toEqual(other.slice(0, 4));
  });

  it('leaves no run behind for a model that does not fit the data, with one message', async () => {
    const wrong = parseText('conv(2,3) relu flatten linear(3)', [1, 6, 6]);
    await expect(runTrainingSession(session({ spec: wrong, config: baseConfig({ spec: wrong }) }))).rejects.toThrow(
      'the model ends with 3 outputs but dataset "two sides" has 2 classes: end the model with linear(2)',
    );
    expect(await new RunStore(home).list()).toEqual([]);
  });

  it('records a run that fails mid-way as failed, with the error', async () => {
    const inner = storeRunSink(new RunStore(home));
    const failing: RunSink = { ...inner, create: (i) => inner.create(i), saveCheckpoint: async () => { throw new Error('disk full'); } };
    await expect(runTrainingSession(session({ sink: failing }))).rejects.toThrow('disk full');
    const [run] = await new RunStore(home).list();
    expect(run!.status).toBe('failed');
    expect(run!.summary).toMatchObject({ error: 'disk full', step: 4 });
  });

  it('resumes a stopped run where it stopped, with its own settings, and ends like an unbroken run', async () => {
    const control = new TrainControl();
    const first = await runTrainingSession(session({ control, events: { onStep: (m) => m.step === 5 && control.stop() } }));
    expect(first.status).toBe('stopped');
    const store = new RunStore(home);
    const plan = await planResume(storeRunReader(store), first.runId);
    // A step or two more than 5 may already be on their way when the stop is seen (pipelining).
    expect(plan.step).toBeGreaterThanOrEqual(5);
    expect(plan.step).toBeLessThan(12);
    expect(plan).toMatchObject({ epoch: Math.floor(plan.step / 4), datasetId: 'ds-20261206-120000-abcd' });
    const resumed = await runTrainingSession(session({ resume: plan, config: baseConfig({ lr: 99 }) }));
    expect(resumed).toMatchObject({ runId: first.runId, status: 'completed' });
    const steps = (await store.readMetrics(first.runId)).filter((r) => r.kind === 'step');
    expect(steps.map((r) => r.step)).toEqual([...Array(12).keys()].map((i) => i + 1));
    // The run's own lr (0.1), not the 99 given to this call: the losses stay those of an unbroken run.
    const straight = await runTrainingSession(session());
    const lossesOf = async (id: string) => (await store.readMetrics(id)).filter((r) => r.kind === 'step').map((r) => r.loss as number);
    const [a, b] = [await lossesOf(first.runId), await lossesOf(straight.runId)];
    a.forEach((l, i) => expect(Math.abs(l - b[i]!) / b[i]!).toBeLessThan(1e-5));
    expect((await store.get(first.runId)).summary).toMatchObject({ epochs: 3, steps: 12 });
  });
});
