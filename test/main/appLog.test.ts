import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppLog, LOG_MAX_BYTES, versionLine } from '../../src/main/appLog';

const facts = { appVersion: '0.1.0', versions: { electron: '45.5.0', chrome: '142.0.7444.59', node: '24.11.1' }, platform: 'linux', arch: 'x64' };

describe('appLog', () => {
  let dir = '';
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('names the build in one line', () => {
    expect(versionLine(facts)).toBe('Conv Lab 0.1.0 · Electron 45.5.0 · Chromium 142.0.7444.59 · Node 24.11.1 · linux x64');
    expect(versionLine({ ...facts, versions: { node: '24.0.0' } })).toBe('Conv Lab 0.1.0 · Node 24.0.0 · linux x64');
  });

  it('appends entries with timestamp, versions and stack, creating the folder', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convlab-log-'));
    const log = createAppLog(join(dir, 'logs'), facts, () => new Date('2026-05-01T12:00:00.000Z'));
    expect(log.write('info', 'started')).toBe(true);
    const error = new Error('EACCES: permission denied, mkdir /srv/lab');
    expect(log.write('error', 'Conv Lab could not start', error)).toBe(true);
    const text = await readFile(log.file, 'utf8');
    expect(log.file).toBe(join(dir, 'logs', 'main.log'));
    expect(text).toMatch(/^\[2026-05-01T12:00:00\.000Z\] INFO started\n  Conv Lab 0\.1\.0 · Electron 45\.5\.0/);
    expect(text).toContain('[2026-05-01T12:00:00.000Z] ERROR Conv Lab could not start');
    expect(text).toContain('  Error: EACCES: permission denied, mkdir /srv/lab\n      at ');
  });

  it('keeps one older generation once the log passes its size cap', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convlab-log-'));
    await writeFile(join(dir, 'main.log'), 'x'.repeat(LOG_MAX_BYTES));
    const log = createAppLog(dir, facts);
    log.write('warn', 'after rotation');
    expect((await stat(join(dir, 'main.old.log'))).size).toBe(LOG_MAX_BYTES);
    expect(await readFile(join(dir, 'main.log'), 'utf8')).toContain('WARN after rotation');
  });

  it('reports false instead of throwing when the folder cannot be written', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convlab-log-'));
    await writeFile(join(dir, 'blocker'), 'a file where the logs folder should be');
    expect(createAppLog(join(dir, 'blocker'), facts).write('error', 'lost')).toBe(false);
  });
});
