// The lab service as the "direct calls" host: every domain against real files in a temp home.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLabService, type PathPicker } from '../../../src/main/services/labService';
import type { LabEvents } from '../../../src/shared/labApi';
import { makeDataset, makePngFolder, makeRun } from './helpers/labFixtures';

let home: string;
let scratch: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-labservice-'));
  scratch = await mkdtemp(join(tmpdir(), 'convlab-labservice-src-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

const noDialog: PathPicker = {
  chooseFolder: async () => null,
  chooseFiles: async () => null,
  chooseSaveFile: async () => null,
};

describe('datasets', () => {
  it('lists, reads, renames and deletes stored datasets', async () => {
    const lab = createLabService({ home });
    expect(await lab.datasets.list()).toEqual({ datasets: [], problems: [] });
    const made = await makeDataset(home);
    expect((await lab.datasets.list()).datasets.map((d) => d.id)).toEqual([made.id]);
    expect((await lab.datasets.rename(made.id, 'renamed')).name).toBe('renamed');
    expect((await lab.datasets.get(made.id)).name).toBe('renamed');
    await lab.datasets.delete(made.id);
    await expect(lab.datasets.get(made.id)).rejects.toThrow(made.id);
  });

  it('returns samples as one Uint8Array in class order', async () => {
    const lab = createLabService({ home });
    const made = await makeDataset(home, 3);
    const s = await lab.datasets.samples(made.id, 2);
    expect(s.images).toBeInstanceOf(Uint8Array);
    expect(s.images.length).toBe(4 * 16);
    expect(s.labels).toEqual([0, 0, 1, 1]);
    // pixel value = 10·label + index within class
    expect([s.images[0], s.images[16], s.images[32], s.images[48]]).toEqual([0, 1, 10, 11]);
  });

  it('imports a folder given by path, reporting progress under the caller\'s import id', async () => {
    const events: LabEvents['datasets.importProgress'][] = [];
    const lab = createLabService({ home, workers: 1, emit: (channel, payload) => channel === 'datasets.importProgress' && events.push(payload as LabEvents['datasets.importProgress']) });
    await makePngFolder(scratch, { cat: 3, dog: 2 });
    const outcome = await lab.datasets.importFolder({ importId: 'imp-1', path: scratch, name: 'pets', valFraction: 0 });
    expect(outcome).not.toBeNull();
    expect(outcome!.dataset.name).toBe('pets');
    expect(outcome!.dataset.classes).toEqual(['cat', 'dog']);
    expect(outcome!.imported).toBe(5);
    expect(outcome!.skipped.map((s) => s.file)).toEqual(['cat/broken.png']);
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ importId: 'imp-1', done: 6, total: 6, skipped: 1 });
  });

  it('asks the picker when no path is given, and answers null when the user cancels', async () => {
    const lab = createLabService({ home, paths: noDialog });
    expect(await lab.datasets.importFolder({ importId: 'a' })).toBeNull();
    expect(await lab.datasets.importIdx({ importId: 'b' })).toBeNull();
    expect(await lab.datasets.importCifar10({ importId: 'c' })).toBeNull();
  });

  it('refuses a missing path on a host without dialogs', async () => {
    const lab = createLabService({ home });
    await expect(lab.datasets.importFolder({ importId: 'a' })).rejects.toThrow(/no file dialog/);
  });

  it('cancels a running import and leaves no dataset behind', async () => {
    let lab!: ReturnType<typeof createLabService>;
    lab = createLabService({
      home,
      workers: 1,
      emit: () => void lab.datasets.cancelImport('slow'),
    });
    await makePngFolder(scratch, { a: 40, b: 40 });
    await expect(lab.datasets.importFolder({ importId: 'slow', path: scratch })).rejects.toThrow(/cancel/i);
    expect((await lab.datasets.list()).datasets).toEqual([]);
    expect(await lab.datasets.cancelImport('slow')).toBe(false);
  });
});

describe('runs', () => {
  const tensors = [{ name: '0.weight', shape: [2], data: new Float32Array([1, 2]) }];

  it('lists, edits and deletes runs', async () => {
    const lab = createLabService({ home });
    const run = await makeRun(home, { records: [{ kind: 'step', step: 1, loss: 2 }], checkpoints: { last: tensors } });
    expect((await lab.runs.list()).runs.map((r) => r.id)).toEqual([run.id]);
    expect(await lab.runs.metrics(run.id)).toEqual([{ kind: 'step', step: 1, loss: 2 }]);
    expect((await lab.runs.checkpoints(run.id)).map((c) => c.name)).toEqual(['last']);
    expect((await lab.runs.rename(run.id, 'baseline')).name).toBe('baseline');
    expect((await lab.runs.setNotes(run.id, 'lr too high')).notes).toBe('lr too high');
    expect((await lab.runs.setTags(run.id, ['a', 'a', 'b'])).tags).toEqual(['a', 'b']);
    await lab.runs.delete(run.id);
    expect((await lab.runs.list()).runs).toEqual([]);
  });

  it('exports CSV and safetensors to a given path, and never replaces a file unasked', async () => {
    const lab = createLabService({ home });
    const run = await makeRun(home, { records: [{ kind: 'step', step: 1, loss: 2 }], checkpoints: { last: tensors } });
    const csv = join(scratch, 'm.csv');
    expect(await lab.runs.export(run.id, { format: 'csv', path: csv })).toEqual({ path: csv, bytes: 16 });
    expect(await readFile(csv, 'utf8')).toBe('step,loss\r\n1,2\r\n');
    await writeFile(csv, 'keep me');
    await expect(lab.runs.export(run.id, { format: 'csv', path: csv })).rejects.toThrow(/already exists/);
    expect(await readFile(csv, 'utf8')).toBe('keep me');
    const st = join(scratch, 'w.safetensors');
    await lab.runs.export(run.id, { format: 'safetensors', path: st });
    expect((await readFile(st)).length).toBeGreaterThan(8);
    await expect(lab.runs.export(run.id, { format: 'csv', path: join(scratch, 'no', 'x.csv') })).rejects.toThrow(/does not exist/);
  });

  it('export through the save dialog: null when cancelled, the chosen file otherwise', async () => {
    const run = await makeRun(home, { records: [{ kind: 'epoch', epoch: 1, accuracy: 0.5 }] });
    expect(await createLabService({ home, paths: noDialog }).runs.export(run.id, { format: 'csv', kind: 'epoch' })).toBeNull();
    const chosen = join(scratch, 'chosen.csv');
    await writeFile(chosen, 'old'); // the dialog already confirmed replacing it
    const lab = createLabService({ home, paths: { ...noDialog, chooseSaveFile: async () => chosen } });
    expect((await lab.runs.export(run.id, { format: 'csv', kind: 'epoch' }))!.path).toBe(chosen);
    expect(await readFile(chosen, 'utf8')).toBe('epoch,accuracy\r\n1,0.5\r\n');
  });

  it('compares runs', async () => {
    const lab = createLabService({ home });
    const a = await makeRun(home, { config: { lr: 0.1 }, records: [{ kind: 'step', step: 1, loss: 1 }] });
    const b = await makeRun(home, { config: { lr: 0.2 }, records: [{ kind: 'step', step: 2, loss: 3 }] });
    const c = await lab.runs.compare([a.id, b.id], { align: 'step' });
    expect(c.x).toEqual([1, 2]);
    expect(c.values).toEqual([{ loss: [1, null] }, { loss: [null, 3] }]);
    expect(c.configDiff.map((d) => d.path)).toEqual(['config.lr']);
  });
});

describe('settings', () => {
  it('stores settings in the home folder', async () => {
    const lab = createLabService({ home: join(home, 'not-yet') });
    expect((await lab.settings.get()).theme).toBe('system');
    expect((await lab.settings.set({ theme: 'dark' })).theme).toBe('dark');
    expect((await createLabService({ home: join(home, 'not-yet') }).settings.get()).theme).toBe('dark');
  });
});
