import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { watchClientLifetime, type ClientContentsLike } from '../../../src/main/clientLifetime';
import { registerRunsIpc } from '../../../src/main/ipc/runs';
import { webContentsClient } from '../../../src/main/ipc/register';
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

  it('a window that reloads or closes while training leaves its run interrupted, and only its own', async () => {
    const h = setup();
    const request = { config: { lr: 0.1 }, modelSpec: 'conv(8,3) relu flatten linear(10)', dataset: { id: 'builtin:fashion-mnist-mini' }, seed: 1 };
    const mine = ((await h.invokeFrom(3, 'lab:runs.create', request)) as { id: string }).id;
    const other = ((await h.invokeFrom(4, 'lab:runs.create', request)) as { id: string }).id;
    await h.invokeFrom(3, 'lab:runs.appendMetrics', mine, [{ kind: 'step', step: 1, loss: 2 }]);
    expect(h.service.activeRuns(webContentsClient(3))).toEqual([mine]);

    const released: string[] = [];
    const contents = Object.assign(new EventEmitter(), { id: 3 }) as unknown as ClientContentsLike & EventEmitter;
    watchClientLifetime(contents, (id, reason) => void h.service.releaseClient(webContentsClient(id), reason).then((r) => released.push(...r)));
    // An in-page navigation (pushState) is not the page going away.
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    await new Promise((r) => setTimeout(r, 20));
    expect((await h.service.runs.get(mine)).status).toBe('running');
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    for (let i = 0; i < 50 && released.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(released).toEqual([mine]);
    expect((await h.service.runs.get(mine)).status).toBe('interrupted');
    expect((await h.service.runs.get(other)).status).toBe('running');
    await h.invokeFrom(4, 'lab:runs.finish', other, 'stopped');
  });
});
