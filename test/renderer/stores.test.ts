// CPU tier: the Pinia stores against the real lab service (the one Electron main and the
// browser host serve) over a temporary home. The renderer's `lab` module is replaced by that
// service plus an in-process event bus, so imports, progress events, runs and settings go
// through real files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabApi, LabEventChannel, LabEvents } from '../../src/shared/labApi';
import { BUILTIN_FASHION_MNIST_MINI } from '../../src/shared/datasetFormat';
import { encodeIdx } from '../../src/shared/formats/idx';
import { createLabService } from '../../src/main/services/labService';
import { RunStore } from '../../src/main/services/runStore';

const holder = vi.hoisted(() => ({ lab: null as unknown as LabApi }));
vi.mock('../../src/renderer/src/lab', () => ({
  get lab() {
    return holder.lab;
  },
}));

const { useDatasetsStore } = await import('../../src/renderer/src/stores/datasets');
const { useModelStore } = await import('../../src/renderer/src/stores/model');
const { useRunsStore } = await import('../../src/renderer/src/stores/runs');
const { useSettingsStore } = await import('../../src/renderer/src/stores/settings');
const { useNavigationStore } = await import('../../src/renderer/src/stores/navigation');

let home: string;
let scratch: string;

function labOver(homeDir: string): LabApi {
  const listeners = new Map<LabEventChannel, Set<(p: never) => void>>();
  const service = createLabService({
    home: homeDir,
    workers: 1,
    emit: (channel, payload) => listeners.get(channel)?.forEach((cb) => cb(payload as never)),
  });
  return {
    ...service,
    events: {
      on<C extends LabEventChannel>(channel: C, cb: (payload: LabEvents[C]) => void) {
        const set = listeners.get(channel) ?? new Set();
        listeners.set(channel, set);
        set.add(cb as (p: never) => void);
        return () => set.delete(cb as (p: never) => void);
      },
    },
  };
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-stores-'));
  scratch = await mkdtemp(join(tmpdir(), 'convlab-stores-src-'));
  holder.lab = labOver(home);
  setActivePinia(createPinia());
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

/** n 6×5 grey images, label i % 3, written as an IDX pair. */
async function idxPair(n: number): Promise<string> {
  const images = new Uint8Array(n * 30);
  for (let i = 0; i < n; i++) images.fill((i * 7) & 255, i * 30, (i + 1) * 30);
  const path = join(scratch, 'train-images-idx3-ubyte');
  await writeFile(path, encodeIdx([n, 6, 5], images));
  await writeFile(join(scratch, 'train-labels-idx1-ubyte'), encodeIdx([n], Uint8Array.from({ length: n }, (_, i) => i % 3)));
  return path;
}

describe('datasets store', () => {
  it('lists the builtin first and selects it by default', async () => {
    const datasets = useDatasetsStore();
    await datasets.refresh();
    expect(datasets.error).toBeNull();
    expect(datasets.entries[0]?.id).toBe(BUILTIN_FASHION_MNIST_MINI);
    expect(datasets.selected?.builtin).toBe(true);
    expect([datasets.selected?.channels, datasets.selected?.height, datasets.selected?.width]).toEqual([1, 28, 28]);
  });

  it('imports IDX files with progress, selects the result, and the model input follows it', async () => {
    const datasets = useDatasetsStore();
    const model = useModelStore();
    await datasets.refresh();
    const seen: number[] = [];
    const stop = holder.lab.events.on('datasets.importProgress', (p) => seen.push(p.done));
    const outcome = await datasets.importIdx({ images: await idxPair(60), valFraction: 0.2, name: 'tiny idx' });
    stop();
    expect(datasets.importError).toBeNull();
    expect(outcome?.imported).toBe(60);
    expect(seen.length).toBeGreaterThan(0);
    expect(datasets.importing).toBeNull();
    expect(datasets.lastImport?.dataset.name).toBe('tiny idx');
    expect(datasets.selected?.name).toBe('tiny idx');
    // IDX has no class names: the importer names ten digit classes, unused ones empty.
    expect(datasets.selected?.classCounts?.slice(0, 4)).toEqual([20, 20, 20, 0]);
    expect(datasets.selected?.split).toEqual({ train: 48, val: 12 });
    expect(datasets.entries.map((e) => e.builtin)).toEqual([true, false]);
    expect(model.input).toEqual([1, 6, 5]);

    const samples = await datasets.loadSamples(datasets.selectedId, 2);
    expect(samples.labels).toEqual([0, 0, 1, 1, 2, 2]);
    expect(samples.images.length).toBe(6 * 30);
  });

  it('reports a failed import in importError and leaves nothing running', async () => {
    const datasets = useDatasetsStore();
    const result = await datasets.importIdx({ images: join(scratch, 'missing-idx3-ubyte') });
    expect(result).toBeNull();
    expect(datasets.importError).toMatch(/missing-idx3-ubyte|labels/);
    expect(datasets.importing).toBeNull();
  });

  it('renames and deletes; a deleted selection falls back to the builtin', async () => {
    const datasets = useDatasetsStore();
    await datasets.refresh();
    await datasets.importIdx({ images: await idxPair(9) });
    const id = datasets.selectedId;
    await datasets.rename(id, 'renamed');
    expect(datasets.selected?.name).toBe('renamed');
    await datasets.remove(id);
    expect(datasets.stored).toHaveLength(0);
    expect(datasets.selectedId).toBe(BUILTIN_FASHION_MNIST_MINI);
  });

  it('counts the builtin’s classes and split on demand', async () => {
    const datasets = useDatasetsStore();
    await datasets.refresh();
    await datasets.loadBuiltinCounts();
    const b = datasets.builtin!;
    expect(b.count).toBe(b.classCounts!.reduce((a, c) => a + c, 0));
    expect(b.split!.train + b.split!.val).toBe(b.count);
  });
});

describe('model store', () => {
  it('starts from the reference preset and edits without losing the model on bad input', () => {
    const model = useModelStore();
    expect(model.presetId).toBe('reference');
    expect(model.valid).toBe(true);
    expect(model.analysis.totalParams).toBe(9098);

    expect(model.updateLayer(0, { type: 'conv2d', out_channels: 8, kernel_size: 3, groups: 3 })).toMatch(/divisible by groups/);
    expect(model.text).toBe('conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(10)');

    expect(model.setText('conv(8,3) cnv')).toMatch(/column/);
    expect(model.layers).toHaveLength(8);

    model.removeLayer(6); // flatten
    expect(model.valid).toBe(false);
    expect(model.analysis.error?.index).toBe(6);
    expect(model.presetId).toBeNull();

    model.addLayer('flatten', 6);
    expect(model.valid).toBe(true);
    model.moveLayer(7, -1);
    expect(model.analysis.error?.index).toBe(6);
  });

  it('loads presets and applies the text form', () => {
    const model = useModelStore();
    model.loadPreset('lenet5');
    expect(model.layers.filter((l) => l.type === 'linear')).toHaveLength(3);
    expect(model.setText('conv(4,3,p=same) relu flatten linear(10)')).toBeNull();
    expect(model.canonical).toContain('"out_channels":4');
    expect(model.text).toBe('conv(4,3,p=1) relu flatten linear(10)');
  });
});

describe('runs store', () => {
  async function makeRun(name: string, lr: number, losses: number[]): Promise<string> {
    const writer = await new RunStore(home).create({ name, config: { lr }, modelSpec: 'conv(8,3) relu flatten linear(10)', dataset: { id: BUILTIN_FASHION_MNIST_MINI }, seed: 1 });
    losses.forEach((loss, step) => writer.appendMetrics({ kind: 'step', step, epoch: 0, loss, accuracy: 0.5, time: Date.now() + step, kernelTimes: { '0|forward|gemm': 0.2 + lr } }));
    writer.appendMetrics({ kind: 'epoch', epoch: 1, step: losses.length, trainLoss: 1, valLoss: 1.1, valAccuracy: 0.7 + lr });
    await writer.finish('completed', { valAccuracy: 0.7 + lr });
    return writer.id;
  }

  it('lists runs as rows, compares the ticked ones, renames, notes and deletes', async () => {
    const a = await makeRun('alpha', 0.01, [2, 1.5, 1.2]);
    const b = await makeRun('beta', 0.1, [2.2, 1.4]);
    const runs = useRunsStore();
    await runs.refresh();
    expect(runs.rows.map((r) => r.name).sort()).toEqual(['alpha', 'beta']);
    expect(runs.rows.find((r) => r.id === a)?.bestValAccuracy).toBeCloseTo(0.71);
    expect(runs.rows.every((r) => r.status === 'completed' && r.durationSeconds !== null)).toBe(true);

    runs.toggle(a);
    runs.toggle(b);
    await runs.compare();
    expect(runs.compareError).toBeNull();
    const c = runs.comparison!;
    expect(c.runs.map((r) => r.id)).toEqual([a, b]);
    expect(c.configDiff.map((d) => d.path)).toContain('config.lr');
    expect(c.kernelTimes.labels).toEqual(['0|forward|gemm']);

    await runs.setAlign('epoch');
    expect(runs.comparison?.align).toBe('epoch');
    expect(runs.comparison?.metrics).toContain('valAccuracy');

    await runs.rename(a, 'alpha 2');
    await runs.setNotes(a, 'lower lr');
    expect(runs.runs.find((r) => r.id === a)).toMatchObject({ name: 'alpha 2', notes: 'lower lr' });

    const out = join(scratch, 'alpha.csv');
    expect(await runs.exportRun(a, 'csv', out)).toMatchObject({ path: out });

    await runs.remove(b);
    expect(runs.rows).toHaveLength(1);
    expect(runs.selectedIds).toEqual([a]);
    expect(runs.comparison).toBeNull();
  });

  it('says what to do when nothing is ticked', async () => {
    const runs = useRunsStore();
    await runs.compare();
    expect(runs.compareError).toMatch(/Tick at least one run/);
  });
});

describe('settings and navigation stores', () => {
  it('reads and writes settings through the host', async () => {
    const settings = useSettingsStore();
    await settings.load();
    expect(settings.error).toBeNull();
    await settings.update({ theme: 'dark', samplesPerClass: 4 });
    expect(settings.settings).toMatchObject({ theme: 'dark', samplesPerClass: 4 });
    expect(await holder.lab.settings.get()).toMatchObject({ theme: 'dark', samplesPerClass: 4 });
  });

  it('steps through the six views with wrap-around', () => {
    const nav = useNavigationStore();
    expect(nav.view).toBe('datasets');
    expect(nav.step(-1)).toBe('kernels');
    nav.go('train');
    expect(nav.step(1)).toBe('runs');
  });
});
