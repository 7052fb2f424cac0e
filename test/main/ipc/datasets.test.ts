import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDatasetsIpc } from '../../../src/main/ipc/datasets';
import { LAB_METHODS } from '../../../src/shared/labApi';
import { makeDataset, makePngFolder } from '../services/helpers/labFixtures';
import { FOREIGN_PAGE, ipcHarness, OUR_PAGE } from './ipcHarness';

let home: string;
let source: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-ipc-ds-'));
  source = await mkdtemp(join(tmpdir(), 'convlab-ipc-ds-src-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(source, { recursive: true, force: true });
});

function setup() {
  const h = ipcHarness(home);
  registerDatasetsIpc(h.registry, h.service);
  return h;
}

describe('datasets over IPC', () => {
  it('registers every datasets method', () => {
    const h = setup();
    expect([...h.handlers.keys()].sort()).toEqual(Object.keys(LAB_METHODS.datasets).map((m) => `lab:datasets.${m}`).sort());
  });

  it('serves list/get/rename/delete and refuses foreign senders and bad ids', async () => {
    const h = setup();
    const made = await makeDataset(home);
    expect(await h.invoke('lab:datasets.list', OUR_PAGE)).toMatchObject({ datasets: [{ id: made.id }] });
    await expect(h.invoke('lab:datasets.list', FOREIGN_PAGE)).rejects.toThrow(/untrusted/);
    await expect(h.invoke('lab:datasets.get', OUR_PAGE, '../runs')).rejects.toThrow(/Invalid arguments for lab\.datasets\.get/);
    await expect(h.invoke('lab:datasets.rename', OUR_PAGE, made.id, 'two\nlines')).rejects.toThrow(/single line/);
    expect(await h.invoke('lab:datasets.rename', OUR_PAGE, made.id, 'new')).toMatchObject({ name: 'new' });
    await h.invoke('lab:datasets.delete', OUR_PAGE, made.id);
    expect(await h.invoke('lab:datasets.list', OUR_PAGE)).toEqual({ datasets: [], problems: [] });
  });

  it('returns samples as a Uint8Array (structured clone), not a JSON list', async () => {
    const h = setup();
    const made = await makeDataset(home, 2);
    const s = (await h.invoke('lab:datasets.samples', OUR_PAGE, made.id, 1)) as { images: unknown };
    expect(s.images).toBeInstanceOf(Uint8Array);
    expect(structuredClone(s).images).toBeInstanceOf(Uint8Array);
    await expect(h.invoke('lab:datasets.samples', OUR_PAGE, made.id, 0)).rejects.toThrow(/argument 1/);
  });

  it('never takes a path from the renderer: main opens the folder dialog', async () => {
    const h = setup();
    await makePngFolder(source, { a: 2, b: 2 });
    await expect(h.invoke('lab:datasets.importFolder', OUR_PAGE, { importId: 'i1', path: source })).rejects.toThrow(/path/);
    await expect(h.invoke('lab:datasets.importIdx', OUR_PAGE, { importId: 'i1', images: '/etc/passwd' })).rejects.toThrow(/images/);
    await expect(h.invoke('lab:datasets.importCifar10', OUR_PAGE, { importId: 'i1', files: ['/x.bin'] })).rejects.toThrow(/files/);
    expect(h.dialogs.calls).toEqual([]);

    expect(await h.invoke('lab:datasets.importFolder', OUR_PAGE, { importId: 'i1' })).toBeNull(); // dialog cancelled
    h.dialogs.open.push({ canceled: false, filePaths: [source] });
    const outcome = (await h.invoke('lab:datasets.importFolder', OUR_PAGE, { importId: 'i2', name: 'picked', valFraction: 0 })) as {
      dataset: { name: string; count: number };
    };
    expect(outcome.dataset).toMatchObject({ name: 'picked', count: 4 });
    expect(h.dialogs.calls.map((c) => (c.options as { properties: string[] }).properties)).toEqual([['openDirectory'], ['openDirectory']]);
    expect(h.events.at(-1)).toEqual({ channel: 'datasets.importProgress', payload: { importId: 'i2', done: 5, total: 5, skipped: 1 } });
  });

  it('cancelImport answers false for an unknown import and checks the id', async () => {
    const h = setup();
    expect(await h.invoke('lab:datasets.cancelImport', OUR_PAGE, 'nothing-running')).toBe(false);
    await expect(h.invoke('lab:datasets.cancelImport', OUR_PAGE, 'a b')).rejects.toThrow(/import id/);
  });
});
