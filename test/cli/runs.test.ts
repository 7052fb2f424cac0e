// `convlab runs` and `convlab web` end to end with the real CLI process.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/shared/formats/safetensors';
import { makeRun } from '../main/services/helpers/labFixtures';
import { convlab, lastJson, REPO } from './cliHarness';

let home: string;
let env: Record<string, string>;
let a: string;
let b: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-cli-runs-'));
  env = { CONVLAB_HOME: home };
  const w = [{ name: '0.weight', shape: [2, 1], data: new Float32Array([0.5, -1]) }];
  a = (await makeRun(home, { name: 'alpha', config: { lr: 0.1 }, records: [{ kind: 'step', step: 1, loss: 2, note: 'a,b' }, { kind: 'epoch', epoch: 1, accuracy: 0.5 }], checkpoints: { last: w } })).id;
  b = (await makeRun(home, { name: 'beta', config: { lr: 0.2 }, records: [{ kind: 'step', step: 1, loss: 1 }] })).id;
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('convlab runs', () => {
  it('lists and shows runs', async () => {
    const [list, listJson, show] = await Promise.all([
      convlab(['runs', 'list'], env),
      convlab(['runs', 'list', '--json'], env),
      convlab(['runs', 'show', a, '--json'], env),
    ]);
    expect(list.stdout).toMatch(/alpha/);
    expect(list.stdout).toMatch(/beta/);
    expect((lastJson(listJson.stdout).runs as Array<{ id: string }>).map((r) => r.id).sort()).toEqual([a, b].sort());
    expect(lastJson(show.stdout)).toMatchObject({ id: a, name: 'alpha', checkpoints: [{ name: 'last' }] });
  });

  it('compares runs', async () => {
    const [human, json] = await Promise.all([convlab(['runs', 'compare', a, b], env), convlab(['runs', 'compare', a, b, '--align', 'epoch', '--json'], env)]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/config\.lr: 0\.1000 \| 0\.2000/);
    expect(human.stdout).toMatch(/loss: 2 \| 1/);
    expect(lastJson(json.stdout)).toMatchObject({ align: 'epoch', x: [1], metrics: ['accuracy'] });
  });

  it('exports CSV and safetensors, refusing to replace a file without --force', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convlab-cli-export-'));
    try {
      const csv = join(dir, 'a.csv');
      const st = join(dir, 'a.safetensors');
      const [c, s] = await Promise.all([
        convlab(['runs', 'export', a, '--format', 'csv', '--out', csv], env),
        convlab(['runs', 'export', a, '--format=safetensors', '--out', st, '--json'], env),
      ]);
      expect(c.stdout).toMatch(/^Wrote .*a\.csv \(\d+ bytes\)/);
      expect(await readFile(csv, 'utf8')).toBe('step,loss\r\n1,2\r\n');
      expect(lastJson(s.stdout)).toMatchObject({ path: resolve(st) });
      expect([...readSafetensors(new Uint8Array(await readFile(st))).tensors.keys()]).toEqual(['0.weight']);

      await writeFile(csv, 'mine');
      const refused = await convlab(['runs', 'export', a, '--format', 'csv', '--out', csv], env);
      expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/already exists.*--force/)]);
      expect(await readFile(csv, 'utf8')).toBe('mine');
      const forced = await convlab(['runs', 'export', a, '--format', 'csv', '--kind', 'epoch', '--out', csv, '--force'], env);
      expect(forced.code).toBe(0);
      expect(await readFile(csv, 'utf8')).toBe('epoch,accuracy\r\n1,0.5\r\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('errors are one line: exit 2 for a usage mistake, 1 when the job fails', async () => {
    const cases: Array<[string[], RegExp, number]> = [
      [['runs', 'export', a, '--out', 'x.csv'], /--format is required/, 2],
      [['runs', 'export', b, '--format', 'safetensors', '--out', join(home, 'b.st')], /no checkpoints/, 1],
      [['runs', 'show', 'nope'], /not a run id/, 2],
      [['runs', 'compare', a], /at least two run ids/, 2],
      [['runs', 'list', '--align', 'step'], /unknown option --align/, 2],
      [['runs', 'list', '--json=yes'], /--json takes no value/, 2],
    ];
    const results = await Promise.all(cases.map(([args]) => convlab(args, env)));
    for (const [i, [args, message, status]] of cases.entries()) {
      expect(results[i].code, args.join(' ')).toBe(status);
      expect(results[i].stderr).toMatch(message);
      expect(results[i].stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('removes a run', async () => {
    const r = await convlab(['runs', 'rm', b], env);
    expect([r.code, r.stdout.trim()]).toEqual([0, `Deleted run ${b}`]);
  });
});

describe('convlab web', () => {
  it('says to build first when the renderer is missing', async () => {
    const r = await convlab(['web', '--renderer', join(home, 'no-build')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/npm run build/);
  });

  it('serves the renderer and prints the URL with its token; stops on SIGTERM', async () => {
    const statics = await mkdtemp(join(tmpdir(), 'convlab-cli-web-'));
    await writeFile(join(statics, 'index.html'), '<!doctype html><p>lab</p>');
    const child = spawn(process.execPath, [join(REPO, 'bin', 'convlab.mjs'), 'web', '--renderer', statics], { cwd: REPO, env: { ...process.env, ...env } });
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        child.stdout.on('data', (c) => {
          out += c;
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(out);
          if (m) resolveUrl(m[0]);
        });
        child.on('close', (code) => reject(new Error(`convlab web exited with ${code} before printing a URL`)));
      });
      expect(await (await fetch(url)).text()).toBe('<!doctype html><p>lab</p>');
      const token = new URL(url).searchParams.get('token');
      const base = url.slice(0, url.indexOf('/?'));
      expect((await fetch(`${base}/api/health?token=${token}`)).status).toBe(200);
      expect((await fetch(`${base}/api/health`)).status).toBe(401);
      const code = await new Promise<number | null>((r) => {
        child.on('close', r);
        child.kill('SIGTERM');
      });
      expect(code).toBe(0);
    } finally {
      child.kill();
      await rm(statics, { recursive: true, force: true });
    }
  });
});
