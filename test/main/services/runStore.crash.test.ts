// A real writer process killed with SIGKILL: no chance to flush, finish or clean up.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore } from '../../../src/main/services/runStore';
import { findTempFiles, makeTempHome, removeTempHome } from './helpers/tempHome';

const REPO = join(__dirname, '../../..');
const CHILD = join(__dirname, 'helpers', 'metricsChild.ts');

describe.skipIf(process.platform === 'win32')('RunStore after the writer is killed', () => {
  let home = '';
  beforeEach(async () => { home = await makeTempHome(); });
  afterEach(async () => { await removeTempHome(home); });

  it('keeps every flushed metric and reports the run as interrupted', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, home], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let lastFlushed = -1;
    let runId = '';
    let firstFlush: () => void = () => undefined;
    const flushedOnce = new Promise<void>((r) => { firstFlush = r; });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // Only whole lines count: a chunk can end mid-line.
      for (const line of stdout.split('\n').slice(0, -1)) {
        const flushed = /^flushed (\d+)$/.exec(line);
        if (flushed) { lastFlushed = Number(flushed[1]); firstFlush(); }
        const id = /^id (\S+)$/.exec(line);
        if (id) runId = id[1]!;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const exited = new Promise<NodeJS.Signals | number | null>((r) => child.on('exit', (code, signal) => r(signal ?? code)));

    const started = await Promise.race([flushedOnce.then(() => true), exited.then(() => false)]);
    expect(started, `child exited before flushing: ${stderr}`).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(lastFlushed).toBeGreaterThan(0);
    const store = new RunStore(home);
    const runs = await store.list();
    expect(runs.map((r) => r.id)).toEqual([runId]);
    expect(runs[0]!.status).toBe('interrupted');
    expect(runs[0]!.endedAt).not.toBeNull();

    const read = await store.readMetricsDetailed(runId);
    expect(read.skippedLines).toBe(0);
    expect(read.records.length).toBeGreaterThanOrEqual(lastFlushed);
    // In order and without gaps: what survives is a prefix of what was appended.
    expect(read.records.every((r, i) => r.kind === 'step' && r.step === i)).toBe(true);

    // The interrupted state was persisted, and the run can be resumed where it stopped.
    const raw = await store.get(runId);
    expect(raw.status).toBe('interrupted');
    const resumed = await store.open(runId);
    resumed.appendMetrics({ kind: 'event', message: 'resumed' });
    await resumed.finish('completed');
    const after = await store.readMetrics(runId);
    expect(after).toHaveLength(read.records.length + 1);
    expect(after.at(-1)).toEqual({ kind: 'event', message: 'resumed' });
    expect(await findTempFiles(home)).toEqual([]);
  });
});
