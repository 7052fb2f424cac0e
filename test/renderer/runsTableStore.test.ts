// CPU tier: the runs store's table against the real lab service over a temporary home: the filter
// language of `convlab runs list`, its errors, sorting by any column, automatic and chosen
// columns, the chart brush, ticks that survive filtering, and Compare's 16-run limit.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLabService } from '../../src/main/services/labService';
import { RunStore } from '../../src/main/services/runStore';
import { BUILTIN_FASHION_MNIST_MINI } from '../../src/shared/datasetFormat';
import type { LabApi } from '../../src/shared/labApi';
import { sweepTag } from '../../src/shared/runRecord';

const holder = vi.hoisted(() => ({ lab: null as unknown as LabApi }));
vi.mock('../../src/renderer/src/lab', () => ({
  get lab() {
    return holder.lab;
  },
}));
// Node has no localStorage; the columns are kept there in the page, so give the store a plain one.
const saved = new Map<string, string>();
vi.stubGlobal('localStorage', {
  getItem: (k: string) => saved.get(k) ?? null,
  setItem: (k: string, v: string) => void saved.set(k, String(v)),
  removeItem: (k: string) => void saved.delete(k),
  clear: () => saved.clear(),
});
const { useRunsStore } = await import('../../src/renderer/src/stores/runs');

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-runs-table-'));
  holder.lab = { ...createLabService({ home }), events: { on: () => () => undefined } } as LabApi;
  setActivePinia(createPinia());
  localStorage.clear();
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Runs as a sweep over lr × batch writes them, plus one plain run. */
async function makeRuns(): Promise<Record<string, string>> {
  const store = new RunStore(home);
  const ids: Record<string, string> = {};
  const grid = [[0.1, 32, 0.62], [0.1, 64, 0.7], [0.03, 32, 0.81], [0.03, 64, 0.86], [0.01, 32, 0.77], [0.01, 64, 0.74]] as const;
  for (const [i, [lr, batch, acc]] of grid.entries()) {
    const w = await store.create({
      name: `sweep #${i + 1}`, modelSpec: 'relu', dataset: { id: BUILTIN_FASHION_MNIST_MINI }, seed: 1, tags: [sweepTag('sw-20260101-000000-abcd')],
      config: { train: { lr, batchSize: batch, epochs: 1, seed: 1, optimizer: { name: 'sgd', momentum: 0.9, weightDecay: 0 } }, sweep: { id: 'sw-20260101-000000-abcd', index: i, params: { lr, batch } } },
    });
    await w.finish(i === 5 ? 'diverged' : 'completed', { bestValAccuracy: acc, valAccuracy: acc - 0.01, valLoss: 1 - acc });
    ids[`${lr}/${batch}`] = w.id;
    await new Promise((r) => setTimeout(r, 5));
  }
  const plain = await store.create({ name: 'baseline resnet', modelSpec: 'relu', dataset: { id: BUILTIN_FASHION_MNIST_MINI }, seed: 1, tags: ['baseline'], config: { train: { lr: 0.05, batchSize: 128, epochs: 3, seed: 1, optimizer: { name: 'adam', weightDecay: 0 } } } });
  await plain.finish('completed', { bestValAccuracy: 0.9, valAccuracy: 0.9 });
  ids.plain = plain.id;
  return ids;
}

describe('run table', () => {
  it('filters with the query language, keeps ticks, sorts, and reports a bad filter naming the part', async () => {
    const ids = await makeRuns();
    const runs = useRunsStore();
    await runs.refresh();
    expect(runs.listed).toHaveLength(7);
    expect(runs.differing).toEqual(expect.arrayContaining(['lr', 'batch', 'optimizer', 'epochs']));
    expect(runs.columns.slice(0, 2)).toEqual(['name', 'status']);

    runs.toggle(ids['0.03/64']!);
    runs.toggle(ids.plain!);
    runs.filterText = 'sweep:sw-20260101-000000-abcd and best_val_accuracy >= 0.75 and lr < 0.05';
    expect(runs.filterError).toBeNull();
    expect(new Set(runs.listed.map((r) => r.id))).toEqual(new Set([ids['0.03/32'], ids['0.03/64'], ids['0.01/32']]));
    // Only what differs among the listed runs: lr and batch (optimizer and epochs are equal now).
    expect(runs.differing).toEqual(['lr', 'batch']);
    expect(runs.selectedIds).toEqual([ids['0.03/64'], ids.plain]);

    runs.sortBy('best_val_accuracy');
    expect(runs.listed.map((r) => r.facts.best_val_accuracy)).toEqual([0.86, 0.81, 0.77]);
    runs.sortBy('best_val_accuracy');
    expect(runs.listed.map((r) => r.facts.best_val_accuracy)).toEqual([0.77, 0.81, 0.86]);
    runs.sortBy('lr');
    expect(runs.listed[0]!.facts.lr).toBe(0.03);

    runs.filterText = 'status:diverged or tag:baseline';
    expect(runs.listed.map((r) => r.id).sort()).toEqual([ids['0.01/64'], ids.plain].sort());
    runs.filterText = 'resnet';
    expect(runs.listed.map((r) => r.id)).toEqual([ids.plain]);

    runs.filterText = 'val_accuracy >= 0.8 and learning_rate < 1';
    expect(runs.filterError).toMatch(/unknown column "learning_rate" at column 25/);
    expect(runs.listed.map((r) => r.id)).toEqual([ids.plain]); // the last good filter still holds
    runs.filterText = 'lr < (0.1';
    expect(runs.filterError).toMatch(/filter: /);
    runs.filterText = '';
    expect(runs.listed).toHaveLength(7);
    expect(runs.selectedIds).toHaveLength(2);
  });

  it('the brush narrows the table, not the charts; columns can be chosen and are kept', async () => {
    const ids = await makeRuns();
    const runs = useRunsStore();
    await runs.refresh();
    runs.setBrush([ids['0.1/32']!, ids['0.1/64']!]);
    expect(runs.listed).toHaveLength(2);
    expect(runs.matched).toHaveLength(7);
    runs.showSweep('sw-20260101-000000-abcd');
    expect(runs.brushIds).toBeNull();
    expect(runs.listed).toHaveLength(6);

    runs.toggleColumn('seed', true);
    expect(runs.columnChoice).toContain('seed');
    runs.toggleColumn('created', false);
    expect(runs.columns).not.toContain('created');
    expect(JSON.parse(localStorage.getItem('convlab.runColumns')!)).toEqual(runs.columns);
    setActivePinia(createPinia());
    expect(useRunsStore().columns).toEqual(runs.columns);
    useRunsStore().setColumns(null);
    expect(localStorage.getItem('convlab.runColumns')).toBeNull();
  });

  it('compares at most 16 runs and says how many to untick', async () => {
    const runs = useRunsStore();
    runs.selectedIds = Array.from({ length: 17 }, (_, i) => `20260101-1200${String(i).padStart(2, '0')}-abcdef`);
    await runs.compare();
    expect(runs.compareError).toMatch(/at most 16 runs; 17 are ticked: untick 1/);
  });
});
