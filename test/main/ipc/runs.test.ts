import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerRunsIpc } from '../../../src/main/ipc/runs';
import { LAB_METHODS } from '../../../src/shared/labApi';
import { makeRun } from '../services/helpers/labFixtures';
import { FOREIGN_PAGE, ipcHarness, OUR_PAGE } from './ipcHarness';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-ipc-runs-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function setup() {
  const h = ipcHarness(home);
  registerRunsIpc(h.registry, h.service);
  return h;
}

describe('runs over IPC', () => {
  it('registers every runs method', () => {
    expect([...setup().handlers.keys()].sort()).toEqual(Object.keys(LAB_METHODS.runs).map((m) => `lab:runs.${m}`).sort());
  });

  it('lists, reads and edits runs; refuses foreign senders and ids that could escape the folder', async () => {
    const h = setup();
    const run = await makeRun(home, { records: [{ kind: 'step', step: 1, loss: 1 }] });
    expect(await h.invoke('lab:runs.list', OUR_PAGE)).toMatchObject({ runs: [{ id: run.id }], problems: [] });
    await expect(h.invoke('lab:runs.delete', FOREIGN_PAGE, run.id)).rejects.toThrow(/untrusted/);
    await expect(h.invoke('lab:runs.metrics', OUR_PAGE, '../../x')).rejects.toThrow(/Invalid arguments for lab\.runs\.metrics/);
    expect(await h.invoke('lab:runs.metrics', OUR_PAGE, run.id)).toEqual([{ kind: 'step', step: 1, loss: 1 }]);
    expect(await h.invoke('lab:runs.setTags', OUR_PAGE, run.id, ['x'])).toMatchObject({ tags: ['x'] });
    await expect(h.invoke('lab:runs.setTags', OUR_PAGE, run.id, 'x')).rejects.toThrow(/argument 1/);
    await expect(h.invoke('lab:runs.compare', OUR_PAGE, [run.id], { align: 'hour' })).rejects.toThrow(/argument 1\.align/);
    expect(await h.invoke('lab:runs.compare', OUR_PAGE, [run.id], { align: 'step' })).toMatchObject({ x: [1], metrics: ['loss'] });
  });

  it('export: no path or overwrite from the renderer; the save dialog picks the file', async () => {
    const h = setup();
    const run = await makeRun(home, { records: [{ kind: 'step', step: 1, loss: 1 }] });
    const out = join(home, 'out.csv');
    await expect(h.invoke('lab:runs.export', OUR_PAGE, run.id, { format: 'csv', path: out })).rejects.toThrow(/path/);
    await expect(h.invoke('lab:runs.export', OUR_PAGE, run.id, { format: 'csv', overwrite: true })).rejects.toThrow(/overwrite/);
    expect(await h.invoke('lab:runs.export', OUR_PAGE, run.id, { format: 'csv' })).toBeNull();
    h.dialogs.save.push({ canceled: false, filePath: out });
    expect(await h.invoke('lab:runs.export', OUR_PAGE, run.id, { format: 'csv' })).toEqual({ path: out, bytes: 16 });
    expect(await readFile(out, 'utf8')).toBe('step,loss\r\n1,1\r\n');
    expect(h.dialogs.calls.at(-1)).toMatchObject({ kind: 'save', options: { filters: [{ extensions: ['csv'] }] } });
  });
});
