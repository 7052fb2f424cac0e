// `convlab datasets` end to end: the real CLI process on a generated PNG folder and a temp home.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePngFolder } from '../main/services/helpers/labFixtures';
import { convlab, lastJson } from './cliHarness';

let home: string;
let pngs: string;
let env: Record<string, string>;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-cli-home-'));
  pngs = await mkdtemp(join(tmpdir(), 'convlab-cli-pngs-'));
  await makePngFolder(pngs, { cat: 4, dog: 3 });
  env = { CONVLAB_HOME: home };
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(pngs, { recursive: true, force: true });
});

describe('convlab datasets', () => {
  let id = '';

  it('imports a PNG folder; --json prints the import summary as the last line', async () => {
    const r = await convlab(['datasets', 'import', pngs, '--name', 'pets', '--size', '8', '--val=0.25', '--seed', '7', '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = lastJson(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['classes', 'counts', 'id', 'imported', 'name', 'skipped', 'train', 'val']);
    expect(out).toMatchObject({ name: 'pets', classes: ['cat', 'dog'], counts: { cat: 4, dog: 3 }, imported: 7 });
    expect(out.skipped).toEqual([{ file: 'cat/broken.png', reason: expect.any(String) }]);
    expect((out.train as number) + (out.val as number)).toBe(7);
    expect(out.val).toBeGreaterThan(0);
    id = out.id as string;
    expect(id).toMatch(/^ds-\d{8}-\d{6}-[0-9a-f]{4}$/);
  });

  it('imports with human output and plain progress lines when not on a terminal', async () => {
    const r = await convlab(['datasets', 'import', pngs, '--fit', 'pad', '--channels', '3'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Imported 7 images into ".+" \(ds-[^)]+\): 2 classes, \d+ train \/ \d+ validation, 3×32×32\n/);
    expect(r.stdout).toContain('cat/broken.png');
    expect(r.stderr).toMatch(/importing 8\/8 \(1 skipped\) \(100%\)\n$/);
    expect(r.stderr).not.toContain('\r');
  });

  it('lists, shows and renames', async () => {
    const list = await convlab(['datasets', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+CLASSES/);
    expect(list.stdout).toContain(id);
    const listed = lastJson((await convlab(['datasets', 'list', '--json'], env)).stdout) as { datasets: Array<{ id: string }> };
    expect(listed.datasets.map((d) => d.id)).toContain(id);

    const show = await convlab(['datasets', 'show', id], env);
    expect(show.stdout).toContain('pets');
    expect(show.stdout).toMatch(/cat\s+\(4\)/);
    expect(lastJson((await convlab(['datasets', 'show', id, '--json'], env)).stdout)).toMatchObject({ id, classCounts: [4, 3] });

    const renamed = await convlab(['datasets', 'rename', id, 'house pets'], env);
    expect([renamed.code, renamed.stdout.trim()]).toEqual([0, `Renamed ${id} to "house pets"`]);
    expect(lastJson((await convlab(['datasets', 'show', id, '--json'], env)).stdout).name).toBe('house pets');
  });

  it('removes a dataset', async () => {
    const r = await convlab(['datasets', 'rm', id], env);
    expect([r.code, r.stdout.trim()]).toEqual([0, `Deleted dataset ${id}`]);
    const again = await convlab(['datasets', 'show', id], env);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says what is wrong in one line: exit 1 for a bad path, 2 for an unknown flag, bad value or bad id', async () => {
    const cases: Array<[string[], RegExp, number]> = [
      [['datasets', 'import', join(pngs, 'nope')], /nope does not exist; check the path/, 1],
      [['datasets', 'import', pngs, '--colour', 'red'], /unknown option --colour/, 2],
      [['datasets', 'import', pngs, '--val', '1.5'], /--val must be a number from 0 to below 1/, 2],
      [['datasets', 'import', pngs, '--size'], /--size needs a value/, 2],
      [['datasets', 'import'], /missing PATH/, 2],
      [['datasets', 'show', '../../etc'], /not a dataset id/, 2],
      [['datasets', 'frobnicate'], /unknown subcommand "frobnicate"/, 2],
    ];
    // In parallel: each run starts a Node process with the TypeScript loader, which takes seconds.
    const results = await Promise.all(cases.map(([args]) => convlab(args, env)));
    for (const [i, [args, message, status]] of cases.entries()) {
      const r = results[i];
      expect(r.code, args.join(' ')).toBe(status);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('uses --home over CONVLAB_HOME', async () => {
    const other = await mkdtemp(join(tmpdir(), 'convlab-cli-other-'));
    try {
      const r = await convlab(['datasets', 'list', '--json', '--home', other], env);
      expect(lastJson(r.stdout)).toEqual({ datasets: [], problems: [] });
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
