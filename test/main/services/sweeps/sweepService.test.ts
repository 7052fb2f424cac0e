// CPU tier: the LabApi's sweeps domain on a real temporary home (the builtin dataset, the real run
// store): a sweep made as the Train view makes it is stored with every run's parameters; its runs
// are found by tag and index; bad specs and bad settings are refused with the engine's message and
// nothing is stored; the argument schemas take what the app sends and refuse what it must not.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presetSpec } from '../../../../src/engine/model/presets';
import { DEFAULT_OPTIMIZER } from '../../../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../../../src/engine/optim/schedule';
import { SWEEP_FORMAT } from '../../../../src/engine/train/sweep/sweepSpec';
import { createLabService } from '../../../../src/main/services/labService';
import { RunStore } from '../../../../src/main/services/runStore';
import { BUILTIN_FASHION_MNIST_MINI } from '../../../../src/shared/datasetFormat';
import type { SweepBaseRequest } from '../../../../src/shared/labApi';
import { labArgSchemas } from '../../../../src/shared/labSchemas';
import { sweepTag } from '../../../../src/shared/runRecord';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-sweeps-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const base = (): SweepBaseRequest => ({
  data: BUILTIN_FASHION_MNIST_MINI,
  model: 'conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(10)',
  config: {
    spec: JSON.parse(JSON.stringify(presetSpec('reference', [1, 28, 28], 10))), epochs: 1, batchSize: 32, lr: 0.01,
    optimizer: { ...DEFAULT_OPTIMIZER }, schedule: { ...DEFAULT_SCHEDULE }, seed: 42, maxSteps: 2, shuffle: true,
  },
  convAlgorithm: 'auto',
});
const grid = (parameters: Record<string, unknown>) => ({ format: SWEEP_FORMAT, method: 'grid', seed: 1, parameters });

describe('sweeps domain', () => {
  it('stores a grid sweep with every run, and finds its runs by tag and index', async () => {
    const lab = createLabService({ home });
    const sweep = await lab.sweeps.create(grid({ lr: { values: [0.1, 0.03, 0.01] }, batch: { values: [16, 32] } }), { ...base(), name: 'lr × batch' });
    expect(sweep).toMatchObject({ name: 'lr × batch', base: { data: BUILTIN_FASHION_MNIST_MINI, backend: 'webgpu', convAlgorithm: 'auto' } });
    expect(sweep.runs.map((r) => r.params)).toEqual([
      { lr: 0.1, batch: 16 }, { lr: 0.1, batch: 32 }, { lr: 0.03, batch: 16 }, { lr: 0.03, batch: 32 }, { lr: 0.01, batch: 16 }, { lr: 0.01, batch: 32 },
    ]);
    expect(await lab.sweeps.get(sweep.id)).toEqual(sweep);
    expect(await lab.sweeps.list()).toEqual([{ id: sweep.id, name: 'lr × batch', createdAt: sweep.createdAt, parameters: ['lr', 'batch'], total: 6, done: 0, running: 0 }]);
    expect(await lab.sweeps.runs(sweep.id)).toEqual([]);

    // Runs as the session records them: tagged, with config.sweep; index 1 twice (the newer counts).
    const store = new RunStore(home);
    const made: string[] = [];
    for (const [index, status] of [[0, 'completed'], [1, 'failed'], [1, 'stopped'], [2, null]] as const) {
      const w = await store.create({ config: { sweep: { id: sweep.id, index, params: sweep.runs[index]!.params } }, modelSpec: 'x', dataset: { id: BUILTIN_FASHION_MNIST_MINI }, seed: 1, tags: [sweepTag(sweep.id)] });
      if (status) await w.finish(status, {});
      made.push(w.id);
      await new Promise((r) => setTimeout(r, 15)); // newest first is by createdAt (ms)
    }
    expect(await lab.sweeps.runs(sweep.id)).toEqual([
      { index: 0, id: made[0], status: 'completed' }, { index: 1, id: made[2], status: 'stopped' }, { index: 2, id: made[3], status: 'running' },
    ]);
    expect((await lab.sweeps.list())[0]).toMatchObject({ done: 1, running: 1, total: 6 });
  }, 30_000);

  it('a random sweep draws its runs from the seed; the name defaults to what it varies', async () => {
    const lab = createLabService({ home });
    const spec = { format: SWEEP_FORMAT, method: 'random', count: 4, seed: 7, parameters: { lr: { distribution: 'log_uniform', min: 1e-4, max: 1e-1 }, optimizer: { values: ['sgd', 'adam'] } } };
    const a = await lab.sweeps.create(spec, base());
    const b = await lab.sweeps.create(spec, base());
    expect(a.name).toBe('sweep of lr, optimizer');
    expect(a.runs).toHaveLength(4);
    expect(a.runs).toEqual(b.runs);
    for (const r of a.runs) expect(r.params.lr as number).toBeGreaterThanOrEqual(1e-4);
  });

  it('refuses bad specs and settings with the engine’s message, storing nothing', async () => {
    const lab = createLabService({ home });
    const cases: Array<[unknown, RegExp, SweepBaseRequest?]> = [
      [grid({ learning: { values: [0.1] } }), /unknown option "learning"/],
      [grid({ lr: { values: [] } }), /"lr" has no values \(an empty range\)/],
      [grid({ lr: { values: [0.1, 500] } }), /lr=500: must be a number from 0 to 100/],
      [grid({ lr: { distribution: 'log_uniform', min: 1e-4, max: 1e-1 } }), /distributions need a random sweep/],
      [grid({ data: { values: ['x'] } }), /"data" cannot be swept/],
      [{ ...grid({ lr: { values: [0.1] } }), format: 'nope' }, /"format" must be "convlab-sweep\/1"/],
      // run 2 puts a 5×5 conv without padding after two poolings of 28×28: 7×7 → 3×3 → does not fit
      [grid({ model: { values: ['reference', 'conv(8,3) maxpool(2) maxpool(2) conv(8,5) conv(8,5) flatten linear(10)'] } }), /run 2 of the sweep \(model=conv/],
      [grid({ batch: { values: [8] } }), /augment/, { ...base(), config: { ...base().config, augment: { crop: 40 } } }],
    ];
    for (const [spec, message, b] of cases) await expect(lab.sweeps.create(spec, b ?? base())).rejects.toThrow(message);
    expect(await lab.sweeps.list()).toEqual([]);
    expect(await readdir(join(home, 'sweeps')).catch(() => [])).toEqual([]);
    await expect(lab.sweeps.get('sw-20260101-000000-abcd')).rejects.toThrow(/No sweep sw-20260101-000000-abcd/);
    await expect(lab.sweeps.runs('sw-20260101-000000-abcd')).rejects.toThrow(/No sweep/);
  });

  it('the argument schemas take what the app sends and refuse what it must not', () => {
    for (const host of ['electron', 'browser'] as const) {
      const s = labArgSchemas(host);
      expect(s['sweeps.create'].safeParse([grid({ lr: { values: [0.1] } }), base()]).success).toBe(true);
      expect(s['sweeps.create'].safeParse([grid({}), { ...base(), data: '../etc' }]).success).toBe(false);
      expect(s['sweeps.create'].safeParse([grid({}), { ...base(), config: { ...base().config, lr: -1 } }]).success).toBe(false);
      expect(s['sweeps.create'].safeParse([grid({}), { ...base(), backend: 'cpu' }]).success).toBe(false);
      expect(s['sweeps.get'].safeParse(['../../x']).success).toBe(false);
      expect(s['sweeps.runs'].safeParse(['sw-20260101-000000-abcd']).success).toBe(true);
    }
  });
});
