import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppLog } from '../../src/main/appLog';
import { reportStartupFailure, STARTUP_FAILURE_TITLE } from '../../src/main/startupFailure';

const facts = { appVersion: '0.1.0', versions: { electron: '45.5.0' }, platform: 'linux', arch: 'x64' };

function recorder() {
  const boxes: Array<{ title: string; content: string }> = [];
  const exits: number[] = [];
  const stderr: string[] = [];
  return {
    boxes, exits, stderr,
    deps: (log: ReturnType<typeof createAppLog> | null) => ({
      dialog: { showErrorBox: (title: string, content: string) => void boxes.push({ title, content }) },
      log,
      exit: (code: number) => void exits.push(code),
      stderr: (t: string) => void stderr.push(t),
    }),
  };
}

describe('reportStartupFailure', () => {
  let dir = '';
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('logs the stack, shows the reason and the log path in an error box, and exits 1', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convlab-fail-'));
    const log = createAppLog(dir, facts);
    const r = recorder();
    reportStartupFailure(new Error('Cannot create /srv/lab/runs (EACCES)'), r.deps(log));
    expect(r.exits).toEqual([1]);
    expect(r.boxes).toHaveLength(1);
    expect(r.boxes[0]!.title).toBe(STARTUP_FAILURE_TITLE);
    expect(r.boxes[0]!.content).toMatch(/^Cannot create \/srv\/lab\/runs \(EACCES\)\n\nThe details \(time, versions, stack\) were written to:\n.*main\.log/);
    expect(await readFile(log.file, 'utf8')).toMatch(/ERROR Conv Lab could not start\n  Conv Lab 0\.1\.0 · Electron 45\.5\.0 · linux x64\n  Error: Cannot create/);
    expect(r.stderr.join('')).toContain('Conv Lab could not start: Error: Cannot create');
  });

  it('puts the stack in the box itself when the log cannot be written', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convlab-fail-'));
    await writeFile(join(dir, 'blocker'), 'a file where the logs folder should be');
    const r = recorder();
    reportStartupFailure(new Error('boom'), r.deps(createAppLog(join(dir, 'blocker', 'logs'), facts)));
    expect(r.boxes[0]!.content).toContain('The log file could not be written either. Details:\nError: boom\n    at ');
    expect(r.exits).toEqual([1]);
  });

  it('still exits when the error box itself cannot be shown', () => {
    const r = recorder();
    const deps = { ...r.deps(null), dialog: { showErrorBox: () => { throw new Error('no display'); } } };
    expect(() => reportStartupFailure('plain string', deps)).not.toThrow();
    expect(r.stderr.join('')).toBe('Conv Lab could not start: plain string\n');
    expect(r.exits).toEqual([1]);
  });
});
