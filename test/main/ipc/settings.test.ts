import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerSettingsIpc } from '../../../src/main/ipc/settings';
import { FOREIGN_PAGE, ipcHarness, OUR_PAGE } from './ipcHarness';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-ipc-settings-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('settings over IPC', () => {
  it('gets and sets, validating every field', async () => {
    const h = ipcHarness(home);
    registerSettingsIpc(h.registry, h.service);
    expect([...h.handlers.keys()].sort()).toEqual(['lab:settings.get', 'lab:settings.set']);
    expect(await h.invoke('lab:settings.get', OUR_PAGE)).toMatchObject({ theme: 'system' });
    expect(await h.invoke('lab:settings.set', OUR_PAGE, { theme: 'dark' })).toMatchObject({ theme: 'dark' });
    await expect(h.invoke('lab:settings.set', OUR_PAGE, { theme: 'neon' })).rejects.toThrow(/argument 0\.theme/);
    await expect(h.invoke('lab:settings.set', OUR_PAGE, { defaultBatchSize: 1.5 })).rejects.toThrow(/defaultBatchSize/);
    await expect(h.invoke('lab:settings.set', FOREIGN_PAGE, { theme: 'light' })).rejects.toThrow(/untrusted/);
    expect(JSON.parse(await readFile(join(home, 'settings.json'), 'utf8'))).toEqual({ theme: 'dark' });
  });
});
