// `convlab train` as a user runs it (the real CLI in a child process, CPU backend so this tier
// needs no GPU): results, the run it leaves, bad input, divergence, and a SIGKILL mid-run.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/main/services/runStore';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'convlab.mjs');
const tempHome = (): string => mkdtempSync(join(tmpdir(), 'convlab-train-'));

function train(home: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'train', '--backend', 'cpu', '--home', home, ...args], { cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CONVLAB_CLI: 'source' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('convlab train', () => {
  it('trains, prints one JSON object last, and leaves a complete run', async () => {
    const home = tempHome();
    const r = train(home, ['--max-steps', '6', '--batch', '32', '--json', '--name', 'smoke']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(Object.keys(result).sort()).toEqual(['epochs', 'images_per_second', 'run_id', 'status', 'steps', 'stop_reason', 'train_loss', 'val_accuracy', 'val_loss']);
    expect(result).toMatchObject({ steps: 6, status: 'completed', stop_reason: 'stopped at the step cap (6 steps)' });
    expect(result.val_accuracy).toBeGreaterThan(0.1);
    const store = new RunStore(home);
    const run = await store.get(result.run_id);
    expect(run.status).toBe('completed');
    expect(run.name).toBe('smoke');
    const steps = (await store.readMetrics(run.id)).filter((m) => m.kind === 'step');
    expect(steps).toHaveLength(6);
    expect(Object.keys(steps[0]!.gradNorms as object)).toEqual(['0.weight', '0.bias', '3.weight', '3.bias', '7.weight', '7.bias']);
    const checkpoints = await store.listCheckpoints(run.id);
    // Stopped mid-epoch by the cap: no epoch-N, but the newest weights (also the best: the only
    // validated ones) and the optimizer state a resume needs.
    expect(checkpoints.map((c) => c.name)).toEqual(['best', 'last', 'last-optimizer']);
    expect(run.preprocessing).toMatchObject({ input: [1, 28, 28], fit: 'resize', classes: expect.arrayContaining(['T-shirt/top']) });
  }, 240_000);

  it('Ctrl-C stops after the step, saves, records the run as stopped and exits with status 130', async () => {
    const home = tempHome();
    const child = spawn(process.execPath, [bin, 'train', '--backend', 'cpu', '--home', home, '--batch', '16', '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const store = new RunStore(home);
    const deadline = Date.now() + 120_000;
    for (let steps = 0; steps < 5 && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 300));
      const runs = await store.list().catch(() => []);
      if (runs[0]) steps = (await store.readMetrics(runs[0].id)).filter((m) => m.kind === 'step').length;
    }
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(130);
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    const run = await store.get(result.run_id);
    expect(run.status).toBe('stopped');
    expect((await store.listCheckpoints(run.id)).map((c) => c.name)).toContain('last-optimizer');
    expect(run.summary.steps).toBe(result.steps);
  }, 240_000);

  it('takes --early-stop and --no-shuffle, and records them in the run', async () => {
    const home = tempHome();
    const r = train(home, ['--max-steps', '3', '--early-stop', '2', '--no-shuffle', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const run = await new RunStore(home).get(JSON.parse(r.stdout.trim().split('\n').pop()!).run_id);
    expect(run.config).toMatchObject({ train: { earlyStop: 2, shuffle: false } });
  }, 240_000);

  it('fine-tunes from an exported safetensors checkpoint (--init), and refuses one that does not fit', async () => {
    const home = tempHome();
    const first = train(home, ['--max-steps', '20', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const runId = JSON.parse(first.stdout.trim().split('\n').pop()!).run_id;
    const file = join(home, 'weights.safetensors');
    const exported = spawnSync(process.execPath, [bin, 'runs', 'export', runId, '--format', 'safetensors', '--out', file, '--home', home], { cwd: root, encoding: 'utf8' });
    expect(exported.status, exported.stderr).toBe(0);
    const tuned = train(home, ['--init', file, '--max-steps', '2', '--json']);
    expect(tuned.code, tuned.stderr).toBe(0);
    const steps = (await new RunStore(home).readMetrics(JSON.parse(tuned.stdout.trim().split('\n').pop()!).run_id)).filter((m) => m.kind === 'step');
    // Starting from trained weights, not from scratch (a fresh model starts near ln 10 ≈ 2.3).
    expect(steps[0]!.loss as number).toBeLessThan(1.6);
    const before = (await new RunStore(home).list()).length;
    const refused = train(home, ['--init', file, '--model', 'conv(4,3) relu flatten linear(10)']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/checkpoint tensor "0.weight" has shape \[8, 1, 3, 3\] but the model needs \[4, 1, 3, 3\]/);
    expect((await new RunStore(home).list()).length).toBe(before);
  }, 240_000);

  it('resumes a stopped run from its checkpoint and continues its step count in the same run', async () => {
    const home = tempHome();
    const first = train(home, ['--max-steps', '4', '--batch', '16', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const runId = JSON.parse(first.stdout.trim().split('\n').pop()!).run_id;
    const second = train(home, ['--resume', runId, '--max-steps', '7', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout.trim().split('\n').pop()!)).toMatchObject({ run_id: runId, steps: 7 });
    const steps = (await new RunStore(home).readMetrics(runId)).filter((m) => m.kind === 'step').map((m) => m.step);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // The same losses as seven steps without a break (weights and momentum come back from the
    // checkpoint; the checkpoint's float32 rounding of the CPU twin's float64 weights is all
    // that differs).
    const straight = train(home, ['--max-steps', '7', '--batch', '16', '--json']);
    const straightId = JSON.parse(straight.stdout.trim().split('\n').pop()!).run_id;
    const lossesOf = async (id: string) => (await new RunStore(home).readMetrics(id)).filter((m) => m.kind === 'step').map((m) => m.loss as number);
    const [resumedLosses, straightLosses] = [await lossesOf(runId), await lossesOf(straightId)];
    resumedLosses.forEach((l, i) => expect(Math.abs(l - straightLosses[i]!) / straightLosses[i]!).toBeLessThan(1e-5));
  }, 240_000);

  it('refuses bad input with one clear line and leaves no half-made run', () => {
    const home = tempHome();
    // Exit 1 for input the job refuses, 2 for a usage mistake (src/cli/args.ts).
    const cases: Array<[string[], RegExp, number]> = [
      [['--model', 'conv(8,3) cnv(2)'], /unknown layer "cnv".*did you mean conv/, 1],
      [['--model', 'conv(8,3) relu flatten linear(7)'], /ends with 7 outputs but dataset .* has 10 classes/, 1],
      [['--data', 'ds-20990101-000000-abcd'], /Unknown dataset "ds-20990101-000000-abcd"/, 1],
      [['--epochs', 'many'], /--epochs must be a whole number/, 2],
      [['--optimizer', 'rmsprop'], /--optimizer must be one of sgd, adam, adamw/, 2],
      [['--early-stop', '0'], /--early-stop must be a whole number of at least 1, got "0"/, 2],
      [['--shuffle'], /unknown option --shuffle/, 2],
    ];
    for (const [args, message, status] of cases) {
      const r = train(home, args);
      expect(r.code, args.join(' ')).toBe(status);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const runs = join(home, 'runs');
    expect(existsSync(runs) ? readdirSync(runs).filter((d) => !d.startsWith('.')) : []).toEqual([]);
  }, 240_000);

  it('stops a diverging run, keeps it as diverged and names where it blew up', async () => {
    const home = tempHome();
    const r = train(home, ['--lr', '100', '--max-steps', '40', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/training diverged at step \d+: .*layer \d+ \(\d+\.(weight|bias)\)/);
    const run = (await new RunStore(home).list())[0]!;
    expect(run.status).toBe('diverged');
  }, 240_000);

  it('a trainer killed with SIGKILL leaves a readable, interrupted run with its flushed metrics', async () => {
    const home = tempHome();
    const child = spawn(process.execPath, [bin, 'train', '--backend', 'cpu', '--home', home, '--batch', '16'], { cwd: root, stdio: 'ignore' });
    const store = new RunStore(home);
    let flushed = 0;
    const deadline = Date.now() + 120_000;
    while (flushed < 30 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const runs = await store.list().catch(() => []);
      if (runs[0]) flushed = (await store.readMetrics(runs[0].id)).length;
    }
    expect(flushed).toBeGreaterThanOrEqual(30);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const run = (await store.list())[0]!;
    expect(run.status).toBe('interrupted');
    const metrics = await store.readMetrics(run.id);
    expect(metrics.length).toBeGreaterThanOrEqual(flushed);
    const steps = metrics.filter((m) => m.kind === 'step').map((m) => (m as { step: number }).step);
    expect(steps).toEqual(steps.map((_, i) => i + 1));
    // …and the CLI can still read it.
    const shown = spawnSync(process.execPath, [bin, 'runs', 'show', run.id, '--home', home, '--json'], { cwd: root, encoding: 'utf8' });
    expect(shown.status, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout.trim().split('\n').pop()!)).toMatchObject({ id: run.id, status: 'interrupted' });
  }, 240_000);
});
