// The LabApi write path the app's training uses (datasets.tensors, runs.create/appendMetrics/
// saveCheckpoint/finish), on real files in a temp home: through the lab service directly, through
// the hosts' argument schemas, and through the browser host's WebSocket with binary arguments.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost } from '../../../src/main/services/browserHost/server';
import { createLabService } from '../../../src/main/services/labService';
import { RunStore } from '../../../src/main/services/runStore';
import { createWsLabClient, type WebSocketLike } from '../../../src/renderer/src/lab/wsClient';
import { toFloat32 } from '../../../src/shared/formats/safetensors';
import type { CheckpointTensorBytes, RunCreateRequest } from '../../../src/shared/labApi';
import { labArgSchemas } from '../../../src/shared/labSchemas';
import { makeDataset } from './helpers/labFixtures';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-labtrain-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const u32 = (bytes: Uint8Array): number[] => [...new Uint32Array(Uint8Array.from(bytes).buffer)];
const f32Bytes = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

const request: RunCreateRequest = {
  name: 'app run',
  config: { epochs: 1, batchSize: 4, lr: 0.01, optimizer: { kind: 'sgd', momentum: 0.9 } },
  modelSpec: 'conv(8,3) relu flatten linear(2)',
  dataset: { id: 'builtin:fashion-mnist-mini', name: 'Fashion-MNIST mini' },
  seed: 7,
  adapter: { vendor: 'google', architecture: 'swiftshader', isSoftware: true, timestamps: false },
  versions: { convlab: '0.1.0' },
};

describe('datasets.tensors', () => {
  it('returns a stored dataset whole, with the split as little-endian uint32 bytes', async () => {
    const lab = createLabService({ home });
    const made = await makeDataset(home, 3);
    const t = await lab.datasets.tensors(made.id);
    expect(t).toMatchObject({ id: made.id, name: 'tiny', classes: ['a', 'b'], channels: 1, height: 4, width: 4 });
    expect(t.images).toBeInstanceOf(Uint8Array);
    expect(t.images.length).toBe(6 * 16);
    expect([...t.labels]).toEqual([0, 0, 0, 1, 1, 1]);
    // pixel = 10·label + index within class (see makeDataset)
    expect(t.images[3 * 16]).toBe(10);
    expect(u32(t.trainIndices)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(t.valIndices.length).toBe(0);
    expect(t.mean).toHaveLength(1);
    expect(t.std).toHaveLength(1);
  });

  it('serves the builtin dataset, each byte array owning exactly its bytes (IPC clones whole buffers)', async () => {
    const lab = createLabService({ home });
    const t = await lab.datasets.tensors('builtin:fashion-mnist-mini');
    expect(t.classes).toHaveLength(10);
    const n = t.labels.length;
    expect(t.images.length).toBe(n * t.channels * t.height * t.width);
    const train = u32(t.trainIndices);
    const val = u32(t.valIndices);
    expect(train.length + val.length).toBe(n);
    expect(Math.max(...train, ...val)).toBe(n - 1);
    for (const bytes of [t.images, t.labels, t.trainIndices, t.valIndices]) {
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    }
  });

  it('names the dataset it cannot find', async () => {
    const lab = createLabService({ home });
    await expect(lab.datasets.tensors('ds-20260101-000000-abcd')).rejects.toThrow(/ds-20260101-000000-abcd/);
  });
});

describe('runs written by the app', () => {
  it('creates, appends, checkpoints and finishes a run that the store reads back', async () => {
    const lab = createLabService({ home });
    const { id } = await lab.runs.create(request);
    const running = await lab.runs.get(id);
    expect(running).toMatchObject({ name: 'app run', status: 'running', seed: 7, modelSpec: request.modelSpec });
    expect(running.adapter).toEqual(request.adapter);

    await lab.runs.appendMetrics(id, [
      { kind: 'step', step: 1, epoch: 0, loss: 2.3, gradNorms: { '0.weight': 0.5 }, kernelTimes: { '0|forward|gemm': 0.02 } },
      { kind: 'step', step: 2, epoch: 0, loss: 2.1 },
    ]);
    await lab.runs.appendMetrics(id, [{ kind: 'epoch', epoch: 1, step: 2, trainLoss: 2.2, valLoss: 2.0, valAccuracy: 0.25 }]);
    // Records are only records: the training session sets the headline numbers explicitly.
    expect((await lab.runs.get(id)).summary).toEqual({});
    await lab.runs.updateSummary(id, { epoch: 1, step: 2, valAccuracy: 0.25 });
    expect((await lab.runs.get(id)).summary).toMatchObject({ epoch: 1, step: 2, valAccuracy: 0.25 });

    const tensors: CheckpointTensorBytes[] = [
      { name: '0.weight', shape: [2, 3], data: f32Bytes([1, 2, 3, 4, 5, 6]) },
      { name: '0.bias', shape: [2], data: f32Bytes([-1, 0.5]) },
    ];
    await lab.runs.saveCheckpoint(id, 'epoch-1-step-2', tensors, { format: 'pytorch-state-dict', epoch: '1' });

    const done = await lab.runs.finish(id, 'completed', { valAccuracy: 0.25, lastCheckpoint: 'epoch-1-step-2' });
    expect(done).toMatchObject({ status: 'completed', summary: { valAccuracy: 0.25, lastCheckpoint: 'epoch-1-step-2', epoch: 1 } });
    expect(done.endedAt).not.toBeNull();

    const records = await lab.runs.metrics(id);
    expect(records.map((r) => [r.kind, r.step])).toEqual([['step', 1], ['step', 2], ['epoch', 2]]);
    expect(records[0]).toMatchObject({ gradNorms: { '0.weight': 0.5 }, kernelTimes: { '0|forward|gemm': 0.02 } });

    const file = await new RunStore(home).readCheckpoint(id, 'epoch-1-step-2');
    expect(file.metadata).toEqual({ format: 'pytorch-state-dict', epoch: '1' });
    expect([...toFloat32(file.tensors.get('0.weight')!)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(file.tensors.get('0.bias')!.shape).toEqual([2]);
    // …and the LabApi serves it back as float32 bytes with its metadata (resume, evaluation).
    const back = await lab.runs.readCheckpoint(id, 'epoch-1-step-2');
    expect(back.metadata).toEqual({ format: 'pytorch-state-dict', epoch: '1' });
    expect(back.tensors.map((t) => [t.name, t.shape, [...new Float32Array(Uint8Array.from(t.data).buffer)]])).toEqual([
      ['0.weight', [2, 3], [1, 2, 3, 4, 5, 6]], ['0.bias', [2], [-1, 0.5]],
    ]);
    await expect(lab.runs.readCheckpoint(id, 'best')).rejects.toThrow(/has no checkpoint 'best' \(it has: epoch-1-step-2\)/);
  });

  it('reopens a stopped run for writing (resume), refusing one it is writing already', async () => {
    const lab = createLabService({ home });
    const { id } = await lab.runs.create(request);
    await expect(lab.runs.reopen(id)).rejects.toThrow(/already being written/);
    await lab.runs.finish(id, 'stopped', { steps: 3 });
    expect((await lab.runs.reopen(id)).status).toBe('running');
    await lab.runs.appendMetrics(id, [{ kind: 'step', step: 4 }]);
    expect((await lab.runs.finish(id, 'completed')).status).toBe('completed');
  });

  it('marks the runs of a client that went away as interrupted, keeping what they wrote, and leaves others alone', async () => {
    const service = createLabService({ home });
    const page = service.forClient('page-1');
    const other = service.forClient('page-2');
    const mine = (await page.runs.create({ ...request, name: 'mine' })).id;
    const theirs = (await other.runs.create({ ...request, name: 'theirs' })).id;
    await page.runs.appendMetrics(mine, [{ kind: 'step', step: 1, loss: 1 }]);
    await page.runs.saveCheckpoint(mine, 'last', [{ name: 'w', shape: [1], data: f32Bytes([1]) }]);
    expect(service.activeRuns('page-1')).toEqual([mine]);
    expect(await service.releaseClient('page-1', 'the page was reloaded')).toEqual([mine]);
    expect(service.activeRuns('page-1')).toEqual([]);
    const run = await service.runs.get(mine);
    expect(run.status).toBe('interrupted');
    expect(run.endedAt).not.toBeNull();
    const records = await service.runs.metrics(mine);
    expect(records[0]).toMatchObject({ kind: 'step', step: 1, loss: 1 });
    expect(records[1]).toMatchObject({ kind: 'event', message: 'interrupted: the page was reloaded' });
    expect((await service.runs.checkpoints(mine)).map((c) => c.name)).toEqual(['last']);
    await expect(page.runs.appendMetrics(mine, [{ kind: 'step', step: 2 }])).rejects.toThrow(/not being written/);
    expect((await service.runs.get(theirs)).status).toBe('running');
    // The interrupted run can be resumed by the next page.
    expect((await other.runs.reopen(mine)).status).toBe('running');
    await other.runs.finish(mine, 'stopped');
    await other.runs.finish(theirs, 'stopped');
  });

  it('reads checkpoint bytes at any offset (a Buffer slice is not 4-byte aligned)', async () => {
    const lab = createLabService({ home });
    const { id } = await lab.runs.create(request);
    const backing = new Uint8Array(1 + 8);
    backing.set(f32Bytes([3.5, -2]), 1);
    await lab.runs.saveCheckpoint(id, 'last', [{ name: 'w', shape: [2], data: backing.subarray(1) }]);
    const file = await new RunStore(home).readCheckpoint(id, 'last');
    expect([...toFloat32(file.tensors.get('w')!)]).toEqual([3.5, -2]);
    await lab.runs.finish(id, 'stopped');
  });

  it('refuses writes to runs it is not writing, and to a run after finish', async () => {
    const lab = createLabService({ home });
    await expect(lab.runs.appendMetrics('20260101-000000-abcdef', [{ kind: 'step', step: 1 }])).rejects.toThrow(/not being written by this app/);
    const { id } = await lab.runs.create(request);
    await lab.runs.finish(id, 'failed', { error: 'device lost' });
    expect((await lab.runs.get(id)).status).toBe('failed');
    await expect(lab.runs.appendMetrics(id, [{ kind: 'step', step: 1 }])).rejects.toThrow(/not being written/);
    await expect(lab.runs.saveCheckpoint(id, 'last', [{ name: 'w', shape: [1], data: f32Bytes([1]) }])).rejects.toThrow(/not being written/);
    await expect(lab.runs.finish(id, 'completed')).rejects.toThrow(/not being written/);
  });

  it('keeps runs apart when two are written at once', async () => {
    const lab = createLabService({ home });
    const a = (await lab.runs.create({ ...request, name: 'a' })).id;
    const b = (await lab.runs.create({ ...request, name: 'b' })).id;
    await lab.runs.appendMetrics(a, [{ kind: 'step', step: 1, loss: 1 }]);
    await lab.runs.appendMetrics(b, [{ kind: 'step', step: 1, loss: 2 }, { kind: 'step', step: 2, loss: 3 }]);
    await lab.runs.finish(a, 'completed');
    await lab.runs.finish(b, 'stopped');
    expect((await lab.runs.metrics(a)).map((r) => r.loss)).toEqual([1]);
    expect((await lab.runs.metrics(b)).map((r) => r.loss)).toEqual([2, 3]);
  });
});

describe('argument schemas of the new methods (both hosts)', () => {
  for (const host of ['electron', 'browser'] as const) {
    const schemas = labArgSchemas(host);
    it(`${host}: accepts good arguments and refuses bad ids, records, bytes and statuses`, () => {
      const runId = '20260101-000000-abcdef';
      expect(schemas['datasets.tensors'].safeParse(['builtin:fashion-mnist-mini']).success).toBe(true);
      expect(schemas['datasets.tensors'].safeParse(['../etc']).success).toBe(false);
      expect(schemas['runs.create'].safeParse([request]).success).toBe(true);
      expect(schemas['runs.create'].safeParse([{ ...request, dataset: { id: '../../x' } }]).success).toBe(false);
      expect(schemas['runs.create'].safeParse([{ ...request, path: '/tmp' }]).success).toBe(false);
      expect(schemas['runs.appendMetrics'].safeParse([runId, [{ kind: 'step', step: 1, loss: 1 }]]).success).toBe(true);
      expect(schemas['runs.appendMetrics'].safeParse([runId, [{ kind: 'bogus' }]]).success).toBe(false);
      expect(schemas['runs.appendMetrics'].safeParse(['../x', []]).success).toBe(false);
      const good = { name: 'w', shape: [2], data: f32Bytes([1, 2]) };
      expect(schemas['runs.saveCheckpoint'].safeParse([runId, 'last', [good]]).success).toBe(true);
      expect(schemas['runs.saveCheckpoint'].safeParse([runId, 'last', [good], { epoch: '1' }]).success).toBe(true);
      expect(schemas['runs.saveCheckpoint'].safeParse([runId, '../last', [good]]).success).toBe(false);
      expect(schemas['runs.saveCheckpoint'].safeParse([runId, 'last', [{ ...good, shape: [3] }]]).success).toBe(false);
      expect(schemas['runs.saveCheckpoint'].safeParse([runId, 'last', [{ ...good, data: [0, 0, 0, 0, 0, 0, 0, 0] }]]).success).toBe(false);
      expect(schemas['runs.finish'].safeParse([runId, 'diverged', { divergence: 'x' }]).success).toBe(true);
      expect(schemas['runs.finish'].safeParse([runId, 'interrupted']).success).toBe(false);
      expect(schemas['runs.updateSummary'].safeParse([runId, { valLoss: NaN, bestCheckpoint: 'best', stopReason: 'x' }]).success).toBe(true);
      expect(schemas['runs.updateSummary'].safeParse([runId, { valLoss: null }]).success).toBe(true);
      expect(schemas['runs.updateSummary'].safeParse([runId, { bestCheckpoint: '../x' }]).success).toBe(false);
      expect(schemas['runs.updateSummary'].safeParse([runId, { madeUp: 1 }]).success).toBe(false);
      expect(schemas['runs.readCheckpoint'].safeParse([runId, 'best']).success).toBe(true);
      expect(schemas['runs.readCheckpoint'].safeParse([runId, '../../etc/passwd']).success).toBe(false);
      expect(schemas['runs.reopen'].safeParse(['x']).success).toBe(false);
      const pre = { input: [1, 28, 28], fit: 'resize', mean: [0.3], std: [0.3], classes: ['a', 'b'] };
      expect(schemas['runs.create'].safeParse([{ ...request, preprocessing: pre }]).success).toBe(true);
      expect(schemas['runs.create'].safeParse([{ ...request, preprocessing: { ...pre, mean: [0.3, 0.3] } }]).success).toBe(false);
    });
  }
});

describe('over the browser host (binary arguments as frames)', () => {
  it('saves a checkpoint sent from the renderer WebSocket client, and serves tensors back', async () => {
    const statics = await mkdtemp(join(tmpdir(), 'convlab-labtrain-static-'));
    await writeFile(join(statics, 'index.html'), '<!doctype html><title>Conv Lab</title>');
    const host = await startBrowserHost({ home, staticDir: statics, workers: 1 });
    const lab = createWsLabClient(`ws://127.0.0.1:${host.port}/lab?token=${host.token}`, (url) => new WebSocket(url) as unknown as WebSocketLike);
    try {
      const made = await makeDataset(home, 2);
      const t = await lab.datasets.tensors(made.id);
      expect(t.images.length).toBe(4 * 16);
      expect(u32(t.trainIndices)).toEqual([0, 1, 2, 3]);

      const { id } = await lab.runs.create(request);
      await lab.runs.appendMetrics(id, [{ kind: 'step', step: 1, loss: 0.5 }]);
      // Larger than the 1 MiB JSON limit: only possible because the bytes travel as binary frames.
      const big = new Float32Array(512 * 1024).map((_, i) => i % 97);
      await lab.runs.saveCheckpoint(id, 'last', [
        { name: '0.weight', shape: [512, 1024], data: new Uint8Array(big.buffer) },
        { name: '0.bias', shape: [2], data: f32Bytes([7, 8]) },
      ], { format: 'pytorch-state-dict' });
      await expect(lab.runs.saveCheckpoint(id, 'last', [{ name: 'w', shape: [3], data: f32Bytes([1]) }])).rejects.toThrow(/Invalid arguments/);
      expect((await lab.runs.finish(id, 'completed', { steps: 1 })).status).toBe('completed');
      // An optional argument given as undefined is left out on the wire (JSON would make it null).
      const { id: other } = await lab.runs.create(request);
      expect((await lab.runs.finish(other, 'stopped', undefined)).status).toBe('stopped');

      const file = await new RunStore(home).readCheckpoint(id, 'last');
      expect(toFloat32(file.tensors.get('0.weight')!)[96]).toBe(96);
      expect([...toFloat32(file.tensors.get('0.bias')!)]).toEqual([7, 8]);
      expect((await lab.runs.metrics(id)).map((r) => r.loss)).toEqual([0.5]);
      const back = await lab.runs.readCheckpoint(id, 'last');
      expect(new Float32Array(Uint8Array.from(back.tensors[0]!.data).buffer)[96]).toBe(96);

      // A page that closes (or reloads) mid-run: its socket goes, and the host interrupts its run.
      const page = createWsLabClient(`ws://127.0.0.1:${host.port}/lab?token=${host.token}`, (url) => new WebSocket(url) as unknown as WebSocketLike);
      const orphan = (await page.runs.create({ ...request, name: 'orphan' })).id;
      await page.runs.appendMetrics(orphan, [{ kind: 'step', step: 1, loss: 0.5 }]);
      page.close();
      const store = new RunStore(home);
      const deadline = Date.now() + 5000;
      while ((await store.get(orphan)).status === 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await store.get(orphan)).status).toBe('interrupted');
      expect((await store.readMetrics(orphan))[0]).toMatchObject({ step: 1, loss: 0.5 });
    } finally {
      lab.close();
      await host.close();
      await rm(statics, { recursive: true, force: true });
    }
  });
});
