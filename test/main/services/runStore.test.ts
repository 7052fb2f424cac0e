import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toFloat32 } from '../../../src/shared/formats/safetensors';
import { RUN_ID_PATTERN } from '../../../src/shared/runFormat';
import { RunStore } from '../../../src/main/services/runStore';
import { findTempFiles, makeTempHome, removeTempHome } from './helpers/tempHome';

const init = {
  config: { optimizer: 'sgd', lr: 0.05, batchSize: 32 },
  modelSpec: 'conv(1, 4, 3) relu maxpool(2) flatten linear(10)',
  dataset: { id: 'mnist-small', name: 'MNIST (small)' },
  seed: 42,
  versions: { app: '0.1.0' },
};

const checkpointTensors = [
  { name: '0.weight', shape: [4, 1, 3, 3], data: Float32Array.from({ length: 36 }, (_, i) => i / 10) },
  { name: '0.bias', shape: [4], data: new Float32Array([1, 2, 3, 4]) },
  { name: '4.weight', shape: [10, 4], data: new Float32Array(40).fill(-0.5) },
];

describe('RunStore', () => {
  let home = '';
  let store: RunStore;
  beforeEach(async () => {
    home = await makeTempHome();
    store = new RunStore(home);
  });
  afterEach(async () => {
    expect(await findTempFiles(home)).toEqual([]);
    await removeTempHome(home);
  });

  it('creates a run folder with a full manifest, metrics log and checkpoints folder', async () => {
    const w = await store.create(init);
    expect(w.id).toMatch(RUN_ID_PATTERN);
    expect((await readdir(join(home, 'runs', w.id))).sort()).toEqual(['checkpoints', 'manifest.json', 'metrics.jsonl']);
    const m = await store.get(w.id);
    expect(m).toMatchObject({
      formatVersion: 1, id: w.id, name: w.id, status: 'running', config: init.config, modelSpec: init.modelSpec,
      dataset: init.dataset, seed: 42, adapter: null, versions: { app: '0.1.0' }, summary: {}, notes: '', tags: [],
      pid: process.pid, endedAt: null,
    });
    expect(Date.parse(m.heartbeatAt!)).toBeGreaterThan(Date.now() - 5000);
    await w.finish('completed');
    // Nothing is left in staging once the run is in place.
    expect(await readdir(join(home, 'runs', '.staging'))).toEqual([]);
  });

  it('round-trips metrics, summary, checkpoints and the final status', async () => {
    const w = await store.create({ ...init, name: 'baseline' });
    for (let step = 0; step < 5; step++) w.appendMetrics({ kind: 'step', step, epoch: 0, loss: 2 - step / 10 });
    w.appendMetrics({ kind: 'epoch', epoch: 0, trainLoss: 1.7, valAccuracy: 0.61, note: 'line\nbreak' });
    w.appendMetrics({ kind: 'event', message: 'lr decay', loss: Number.NaN });
    await w.flush();
    expect((await readFile(join(home, 'runs', w.id, 'metrics.jsonl'), 'utf8')).split('\n')).toHaveLength(8);
    await w.updateSummary({ bestAccuracy: 0.61 });
    await w.saveCheckpoint('epoch-1', checkpointTensors, { epoch: '1' });
    await w.saveCheckpoint('last', checkpointTensors);
    const done = await w.finish('stopped', { epochs: 1 });
    expect(done.status).toBe('stopped');
    expect(done.summary).toEqual({ bestAccuracy: 0.61, epochs: 1 });
    expect(done.endedAt).not.toBeNull();

    const records = await store.readMetrics(w.id);
    expect(records).toHaveLength(7);
    expect(records[5]).toEqual({ kind: 'epoch', epoch: 0, trainLoss: 1.7, valAccuracy: 0.61, note: 'line\nbreak' });
    expect(records[6]).toEqual({ kind: 'event', message: 'lr decay', loss: null });
    expect((await store.listCheckpoints(w.id)).map((c) => c.name)).toEqual(['epoch-1', 'last']);
    const ckpt = await store.readCheckpoint(w.id, 'epoch-1');
    expect([...ckpt.tensors.keys()]).toEqual(['0.weight', '0.bias', '4.weight']);
    expect(ckpt.metadata).toEqual({ epoch: '1' });
    expect(toFloat32(ckpt.tensors.get('0.bias')!)).toEqual(checkpointTensors[1]!.data);
    expect((await store.get(w.id)).name).toBe('baseline');
    expect(() => w.appendMetrics({ kind: 'step', step: 9 })).toThrow(/is finished \(stopped\).*RunStore.open/);
  });

  it('flushes on its own within about a second', async () => {
    const w = await store.create(init);
    w.appendMetrics({ kind: 'step', step: 0, loss: 1 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await store.readMetrics(w.id)).toEqual([{ kind: 'step', step: 0, loss: 1 }]);
    await w.finish('completed');
  });

  it('rejects invalid metrics records, checkpoint names and finish statuses', async () => {
    const w = await store.create(init);
    expect(() => w.appendMetrics({ step: 1 })).toThrow(/kind/);
    expect(() => w.appendMetrics({ kind: 'batch' })).toThrow(/kind 'step', 'epoch' or 'event'/);
    for (const bad of ['../evil', 'a/b', '', '.hidden', 'x.safetensors']) {
      await expect(w.saveCheckpoint(bad, checkpointTensors)).rejects.toThrow(/Invalid checkpoint name/);
    }
    await expect(w.finish('interrupted' as never)).rejects.toThrow(/use one of completed, stopped, diverged, failed/);
    await w.finish('failed');
    await expect(store.readCheckpoint(w.id, 'last')).rejects.toThrow(/has no checkpoint 'last' \(it has: none\)/);
  });

  it('drops a torn last line and skips and counts a corrupt middle line', async () => {
    const w = await store.create(init);
    for (let step = 0; step < 3; step++) w.appendMetrics({ kind: 'step', step });
    await w.finish('completed');
    const log = join(home, 'runs', w.id, 'metrics.jsonl');
    const lines = (await readFile(log, 'utf8')).split('\n');
    lines.splice(1, 0, '{"kind":"step","st');
    await writeFile(log, `${lines.join('\n')}{"kind":"step","step":3,"lo`);
    const read = await store.readMetricsDetailed(w.id);
    expect(read.records.map((r) => r.step)).toEqual([0, 1, 2]);
    expect(read.skippedLines).toBe(1);
    expect(read.droppedTornTail).toBe(true);

    // Resuming cuts the torn fragment off, so the next record starts on a line of its own.
    const resumed = await store.open(w.id);
    expect((await store.get(w.id)).status).toBe('running');
    resumed.appendMetrics({ kind: 'step', step: 3 });
    await resumed.finish('completed');
    const again = await store.readMetricsDetailed(w.id);
    expect(again.records.map((r) => r.step)).toEqual([0, 1, 2, 3]);
    expect(again.droppedTornTail).toBe(false);
  });

  it('refuses to open or delete a run whose writer is alive', async () => {
    const w = await store.create(init);
    await expect(store.open(w.id)).rejects.toThrow(/still being written by process \d+/);
    await expect(store.delete(w.id)).rejects.toThrow(/stop the training before deleting it/);
    await w.finish('completed');
  });

  it('reports a run with a stale heartbeat as interrupted, and persists that', async () => {
    const w = await store.create(init);
    await w.finish('completed');
    const path = join(home, 'runs', w.id, 'manifest.json');
    const m = JSON.parse(await readFile(path, 'utf8'));
    // As a live writer on this host would leave it, but 30 s without a heartbeat.
    await writeFile(path, JSON.stringify({ ...m, status: 'running', endedAt: null, heartbeatAt: new Date(Date.now() - 30_000).toISOString() }));
    expect((await store.get(w.id)).status).toBe('interrupted');
    expect(JSON.parse(await readFile(path, 'utf8')).status).toBe('interrupted');
  });

  it('lists newest first and reports unreadable folders instead of throwing', async () => {
    const a = await store.create({ ...init, name: 'a' });
    await a.finish('completed');
    await new Promise((r) => setTimeout(r, 1100)); // ids and createdAt have second resolution
    const b = await store.create({ ...init, name: 'b' });
    await b.finish('completed');
    await mkdir(join(home, 'runs', '20200101-000000-aaaaaa'));
    await mkdir(join(home, 'runs', '20200101-000000-bbbbbb'));
    await writeFile(join(home, 'runs', '20200101-000000-bbbbbb', 'manifest.json'), '{"formatVersion":1,');
    await mkdir(join(home, 'runs', 'not-a-run'));
    const scan = await store.scan();
    expect(scan.runs.map((r) => r.name)).toEqual(['b', 'a']);
    expect(scan.problems.map((p) => p.name).sort()).toEqual(['20200101-000000-aaaaaa', '20200101-000000-bbbbbb', 'not-a-run']);
    expect(scan.problems.find((p) => p.name === '20200101-000000-aaaaaa')!.error).toMatch(/manifest.json is missing/);
    expect(scan.problems.find((p) => p.name === '20200101-000000-bbbbbb')!.error).toMatch(/not valid JSON/);
    expect((await store.list()).map((r) => r.id)).toEqual([b.id, a.id]);
  });

  it('renames, sets notes and tags without touching the writer fields', async () => {
    const w = await store.create(init);
    await w.updateSummary({ loss: 0.5 });
    expect((await store.rename(w.id, '  wide conv  ')).name).toBe('wide conv');
    await store.setNotes(w.id, 'lr too high?');
    await store.setTags(w.id, ['sgd', ' sgd ', 'mnist']);
    await w.updateSummary({ accuracy: 0.9 });
    const m = await w.finish('completed');
    expect(m).toMatchObject({ name: 'wide conv', notes: 'lr too high?', tags: ['sgd', 'mnist'], summary: { loss: 0.5, accuracy: 0.9 } });
    await expect(store.rename(w.id, '')).rejects.toThrow(/Invalid run name/);
    await expect(store.setTags(w.id, ['ok', ''])).rejects.toThrow(/Invalid tag ""/);
  });

  it('rejects ids that could escape the runs folder with a clear error', async () => {
    for (const bad of ['../x', '/etc', '', '..', 'runs/../../x', '20261126-173700-AB12CD', '20261126-173700-ab12cd/..']) {
      await expect(store.get(bad)).rejects.toThrow(/Invalid run id .*looks like 20261126-173700-ab12cd/);
      await expect(store.delete(bad)).rejects.toThrow(/Invalid run id/);
      await expect(store.readMetrics(bad)).rejects.toThrow(/Invalid run id/);
      await expect(store.readCheckpoint(bad, 'last')).rejects.toThrow(/Invalid run id/);
    }
    await expect(store.get('20261126-173700-ab12cd')).rejects.toThrow(/manifest.json is missing/);
  });

  it('deletes a run through the trash, leaving nothing behind', async () => {
    const keep = await store.create({ ...init, name: 'keep' });
    const gone = await store.create({ ...init, name: 'gone' });
    await gone.saveCheckpoint('last', checkpointTensors);
    await gone.finish('completed');
    await store.delete(gone.id);
    await keep.finish('completed');
    expect((await store.list()).map((r) => r.name)).toEqual(['keep']);
    expect((await readdir(join(home, 'runs'))).filter((n) => !n.startsWith('.'))).toEqual([keep.id]);
    expect(await readdir(join(home, 'runs', '.trash'))).toEqual([]);
    await expect(store.get(gone.id)).rejects.toThrow(/missing/);
  });

  it('keeps concurrent writer and user edits of one manifest', async () => {
    const w = await store.create(init);
    await Promise.all([w.heartbeat(), store.setNotes(w.id, 'n'), w.updateSummary({ s: 1 }), store.rename(w.id, 'r')]);
    const m = await store.get(w.id);
    expect(m).toMatchObject({ notes: 'n', name: 'r', summary: { s: 1 }, status: 'running' });
    await w.finish('completed');
  });
});

describe('a live writer with nothing to write', () => {
  it('keeps its run running: a paused run is not taken for an interrupted one', async () => {
    const home = await makeTempHome();
    const store = new RunStore(home);
    const writer = await store.create({ config: {}, modelSpec: 'flatten linear(2)', dataset: { id: 'builtin:fashion-mnist-mini' }, seed: 1 });
    writer.appendMetrics({ kind: 'step', step: 1 });
    await new Promise((r) => setTimeout(r, 12_000)); // longer than the 10 s staleness limit
    expect((await store.get(writer.id)).status).toBe('running');
    await writer.finish('completed');
    await removeTempHome(home);
  }, 30_000);
});
