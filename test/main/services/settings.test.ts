import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, readSettings, settingsPath, writeSettings } from '../../../src/main/services/settings';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-settings-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('settings', () => {
  it('defaults without a file, then stores changes as JSON', async () => {
    expect(await readSettings(home)).toEqual(DEFAULT_SETTINGS);
    const saved = await writeSettings(home, { theme: 'light', defaultBatchSize: 128 });
    expect(saved).toEqual({ ...DEFAULT_SETTINGS, theme: 'light', defaultBatchSize: 128 });
    expect(JSON.parse(await readFile(settingsPath(home), 'utf8'))).toEqual({ theme: 'light', defaultBatchSize: 128 });
    expect(await readSettings(home)).toEqual(saved);
  });

  it('refuses a bad value with its name and changes nothing', async () => {
    await writeSettings(home, { theme: 'dark' });
    await expect(writeSettings(home, { theme: 'purple' as never })).rejects.toThrow(/Invalid setting theme/);
    await expect(writeSettings(home, { defaultBatchSize: 0 })).rejects.toThrow(/defaultBatchSize/);
    await expect(writeSettings(home, { nope: 1 } as never)).rejects.toThrow(/nope/);
    expect((await readSettings(home)).theme).toBe('dark');
  });

  it('falls back field by field for hand-edited values and keeps unknown fields', async () => {
    await writeFile(settingsPath(home), JSON.stringify({ theme: 'dark', defaultBatchSize: -3, fromTheFuture: true }));
    expect(await readSettings(home)).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    await writeSettings(home, { defaultEpochs: 9 });
    expect(JSON.parse(await readFile(settingsPath(home), 'utf8'))).toMatchObject({ fromTheFuture: true, defaultEpochs: 9 });
  });

  it('keeps a file that is not JSON aside instead of losing it', async () => {
    await writeFile(settingsPath(home), '{ theme: dark');
    expect(await readSettings(home)).toEqual(DEFAULT_SETTINGS);
    await writeSettings(home, { theme: 'light' });
    const kept = (await readdir(home)).filter((n) => n.startsWith('settings.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(await readFile(join(home, kept[0]), 'utf8')).toBe('{ theme: dark');
  });

  it('serializes concurrent changes so none is lost', async () => {
    await Promise.all([writeSettings(home, { theme: 'dark' }), writeSettings(home, { defaultEpochs: 3 }), writeSettings(home, { samplesPerClass: 4 })]);
    expect(await readSettings(home)).toMatchObject({ theme: 'dark', defaultEpochs: 3, samplesPerClass: 4 });
  });
});
