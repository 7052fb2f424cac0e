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

    // The sweep's runs through the run table's query language, as `runs list` gives it.
    const listed = convlab(home, ['runs', 'list', '--filter', `sweep:${out.sweep_id} and lr < 0.08`, '--sort', 'batch:desc', '--columns', 'lr,batch,status', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = lastJson(listed.stdout).rows as Array<{ lr: number; batch: number; status: string }>;
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.batch)).toEqual([64, 64, 32, 32]);
    expect(rows.every((r) => r.lr < 0.08 && r.status === 'completed')).toBe(true);
    const table = convlab(home, ['runs', 'list', '--filter', 'batch = 32', '--sort', 'lr', '--columns', 'lr,batch']);
    expect(table.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^LR\s+BATCH$/), expect.stringMatching(/^0\.020*\s+32$/), expect.stringMatching(/^0\.050*\s+32$/), expect.stringMatching(/^0\.10*\s+32$/)]);
    const badFilter = convlab(home, ['runs', 'list', '--filter', 'lr <']);
    expect(badFilter.code).toBe(2);
    expect(badFilter.stderr.trim().split('\n')).toHaveLength(1);
    expect(convlab(home, ['runs', 'list', '--columns', 'lr,colour']).stderr).toMatch(/unknown column "colour"/);

    // A sweep id stands for all its runs in `runs compare`, in the sweep's order.
    const compared = convlab(home, ['runs', 'compare', out.sweep_id, '--json']);
    expect(compared.code, compared.stderr).toBe(0);
    const order = out.runs.map((x: { run_id: string }) => x.run_id) as string[];
    const ids = (lastJson(compared.stdout).runs as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toEqual(order);
  }, 400_000);

  it('survives a SIGKILL in the third run of a 6-run grid: --resume finishes it and runs the other three, recording no run twice', async () => {
    const home = tempHome();
    const child = spawn(process.execPath, [bin, 'sweep', 'lr=0.1,0.05,0.02', 'batch=32,64', '--max-steps', '12', '--backend', 'cpu', '--home', home], { cwd: root, stdio: 'ignore' });
    const store = new RunStore(home);
    const deadline = Date.now() + 300_000;
    let killedIn: string | undefined;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      const runs = await store.list().catch(() => []);
      const third = runs.find((run) => (run.config as { sweep?: { index: number } }).sweep?.index === 2);
      if (third && (await store.readMetrics(third.id)).filter((m) => m.kind === 'step').length >= 3) {
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
    // One run per parameter set, all completed: the killed one was finished in place and the
    // three that had not started ran once each.
    const all = await store.list();
    expect(all).toHaveLength(6);
    expect(all.every((run) => run.status === 'completed')).toBe(true);
    const sweptParams = all.map((run) => JSON.stringify((run.config as { sweep: { params: object } }).sweep.params)).sort();
    expect(new Set(sweptParams).size).toBe(6);
    // The killed run: every step to the cap, and each step's last record (the one a resume keeps,
    // docs/formats/run.md) comes after every record of an earlier step.
    const steps = (await store.readMetrics(killedIn!)).filter((m) => m.kind === 'step').map((m) => m.step!);
    expect(new Set(steps)).toEqual(new Set(Array.from({ length: 12 }, (_, i) => i + 1)));
    const lastAt = new Map(steps.map((step, i) => [step, i]));
    for (let step = 2; step <= 12; step++) expect(lastAt.get(step)!).toBeGreaterThan(lastAt.get(step - 1)!);
    // The other five ran once, from the start: no step recorded twice.
    for (const run of all.filter((r) => r.id !== killedIn)) {
      const own = (await store.readMetrics(run.id)).filter((m) => m.kind === 'step').map((m) => m.step!);
      expect(own).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    }
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
