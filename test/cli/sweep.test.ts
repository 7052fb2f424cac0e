// `convlab sweep` as a user runs it (the real CLI, CPU backend): a 6-run grid to the end, a sweep
// killed with SIGKILL in its third run and resumed (no run recorded twice), a diverged run the
// sweep goes past, and specs refused before anything starts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/main/services/runStore';
import { sweepRuns } from '../../src/main/services/sweeps/sweepStore';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'convlab.mjs');
const tempHome = (): string => mkdtempSync(join(tmpdir(), 'convlab-sweep-'));
function convlab(home: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args, '--home', home], { cwd: root, encoding: 'utf8', timeout: 400_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (text: string) => JSON.parse(text.trim().split('\n').pop()!);

describe('convlab sweep', () => {
  it('runs a 6-run grid to the end, each a normal run tagged with the sweep', async () => {
    const home = tempHome();
    const r = convlab(home, ['sweep', 'lr=0.1,0.05,0.02', 'batch=32,64', '--max-steps', '2', '--backend', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({ finished: true, stopped: false, remaining: 0 });
    expect(out.runs.map((x: { params: object }) => x.params)).toEqual([
      { lr: 0.1, batch: 32 }, { lr: 0.1, batch: 64 }, { lr: 0.05, batch: 32 }, { lr: 0.05, batch: 64 }, { lr: 0.02, batch: 32 }, { lr: 0.02, batch: 64 },
    ]);
    const store = new RunStore(home);
    const runs = await sweepRuns(store, out.sweep_id);
    expect(runs.size).toBe(6);
    const third = runs.get(2)!;
    expect(third).toMatchObject({ status: 'completed', tags: [`sweep:${out.sweep_id}`], config: { sweep: { id: out.sweep_id, index: 2, params: { lr: 0.05, batch: 32 } }, train: { lr: 0.05, batchSize: 32 } } });
    expect(third.name).toMatch(/#3: lr=0\.05 batch=32$/);
    // Resuming a finished sweep starts nothing.
    const again = convlab(home, ['sweep', '--resume', out.sweep_id, '--backend', 'cpu', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect((await store.list()).length).toBe(6);
  }, 400_000);

  it('survives a SIGKILL in its third run: --resume finishes the rest, recording no run twice', async () => {
    const home = tempHome();
    const child = spawn(process.execPath, [bin, 'sweep', 'lr=0.1,0.05,0.02', '--max-steps', '30', '--batch', '32', '--backend', 'cpu', '--home', home], { cwd: root, stdio: 'ignore' });
    const store = new RunStore(home);
    const deadline = Date.now() + 300_000;
    let killedIn: string | undefined;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      const runs = await store.list().catch(() => []);
      const third = runs.find((run) => (run.config as { sweep?: { index: number } }).sweep?.index === 2);
      if (third && (await store.readMetrics(third.id)).filter((m) => m.kind === 'step').length >= 5) {
        killedIn = third.id;
        break;
      }
    }
    expect(killedIn, 'the third run started and logged steps').toBeDefined();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect((await store.get(killedIn!)).status).toBe('interrupted');
    const sweepId = readdirSync(join(home, 'sweeps'))[0]!;

    const resumed = convlab(home, ['sweep', '--resume', sweepId, '--backend', 'cpu', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(lastJson(resumed.stdout)).toMatchObject({ finished: true, remaining: 0 });
    const all = await store.list();
    expect(all).toHaveLength(3); // one run per parameter set: the killed one was finished in place
    const third = await store.get(killedIn!);
    expect(third.status).toBe('completed');
    const steps = (await store.readMetrics(killedIn!)).filter((m) => m.kind === 'step').map((m) => m.step!);
    expect(new Set(steps)).toEqual(new Set(Array.from({ length: 30 }, (_, i) => i + 1)));
  }, 400_000);

  it('records a diverged run and goes on with the next', async () => {
    const home = tempHome();
    const r = convlab(home, ['sweep', 'lr=100,0.05', '--max-steps', '25', '--backend', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout).runs.map((x: { status: string }) => x.status)).toEqual(['diverged', 'completed']);
  }, 400_000);

  it('refuses an unknown option, an empty range, a value the trainer would refuse and a bad file, starting nothing', () => {
    const home = tempHome();
    const cases: Array<[string[], RegExp]> = [
      [['lr=0.1', 'colour=red'], /unknown option "colour" \(a sweep can vary: lr, batch/],
      [['lr='], /"lr=" has no values \(an empty range\)/],
      [['lr=0.1,500'], /lr=500: must be a number from 0 to 100/],
      [['batch=32,0'], /batch=0: must be a whole number ≥ 1/],
      [['data=a,b'], /"data" cannot be swept/],
      [['lr=log:1e-3:1e-1'], /distributions need a random sweep/],
      [['--random', '3', 'lr=log:0:1'], /log-uniform range must be above 0/],
      [['model=conv(4,3) flatten linear(3)'], /run 1 of the sweep .*ends with 3 outputs but dataset .* has 10 classes/],
    ];
    for (const [args, message] of cases) {
      const r = convlab(home, ['sweep', ...args, '--backend', 'cpu']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const bad = join(home, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'convlab-sweep/1', method: 'grid', seed: 1, parameters: { lr: { values: [] } } }));
    expect(convlab(home, ['sweep', bad]).stderr).toMatch(/"lr" has no values/);
    expect(existsSync(join(home, 'runs')) ? readdirSync(join(home, 'runs')).filter((d) => !d.startsWith('.')) : []).toEqual([]);
    expect(existsSync(join(home, 'sweeps'))).toBe(false);
  }, 400_000);

  it('draws a random sweep reproducibly from its seed', () => {
    const home = tempHome();
    const draw = () => lastJson(convlab(home, ['sweep', '--random', '2', '--sweep-seed', '9', 'lr=log:1e-3:1e-1', 'optimizer=sgd,adam', '--max-steps', '1', '--backend', 'cpu', '--json']).stdout);
    const [a, b] = [draw(), draw()];
    expect(a.runs.map((r: { params: object }) => r.params)).toEqual(b.runs.map((r: { params: object }) => r.params));
    for (const r of a.runs) expect(r.params.lr).toBeGreaterThanOrEqual(1e-3);
  }, 400_000);
});
