// openHome on real folders: a fresh machine, an older home only, both, CONVLAB_HOME, a move cut
// short, a move that cannot happen, and a move across file systems (/dev/shm is tmpfs here).
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATION_MARKER, resolveHome } from '../../../src/main/services/home';
import { copyVerified, openHome } from '../../../src/main/services/homeMigration';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

/** A machine in a temp folder: XDG config (Electron userData) and data folders inside it. */
async function machine(dataRoot?: string) {
  dir = await mkdtemp(join(tmpdir(), 'convlab-migrate-'));
  const env = { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: dataRoot ?? join(dir, 'data') };
  return {
    env,
    opts: { env, platform: 'linux' as const, homedir: dir },
    target: join(env.XDG_DATA_HOME, 'Conv Lab'),
    cliOld: join(dir, 'config', 'Conv Lab'),
    appOld: join(dir, 'config', 'conv-lab'),
  };
}

/** An older home as a user would have it: a run, a dataset, the autotune cache, settings, Chromium's files. */
async function oldHome(root: string, tag: string) {
  await mkdir(join(root, 'runs', `run-${tag}`, 'checkpoints'), { recursive: true });
  await writeFile(join(root, 'runs', `run-${tag}`, 'manifest.json'), `{"id":"run-${tag}"}`);
  await writeFile(join(root, 'runs', `run-${tag}`, 'checkpoints', 'last.safetensors'), new Uint8Array(4096).fill(7));
  await mkdir(join(root, 'datasets', `ds-${tag}`), { recursive: true });
  await writeFile(join(root, 'datasets', `ds-${tag}`, 'tensors.bin'), new Uint8Array(10_000).fill(3));
  await mkdir(join(root, 'cache'), { recursive: true });
  await writeFile(join(root, 'cache', 'autotune.json'), '{}');
  await writeFile(join(root, 'settings.json'), `{"theme":"${tag}"}`);
  await mkdir(join(root, 'Local Storage'), { recursive: true }); // Chromium's, never ours to move
}

async function tree(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const name of (await readdir(join(root, rel))).sort()) {
      const path = join(rel, name);
      out.push(path);
      if (statSync(join(root, path)).isDirectory()) await walk(path);
    }
  };
  await walk('');
  return out;
}

describe('openHome', () => {
  it('fresh machine: the data folder, nothing moved, nothing said', async () => {
    const m = await machine();
    const opened = await openHome(m.opts);
    expect(opened).toEqual({ home: m.target, source: 'default', notes: [] });
  });

  it('older home only: moves runs, datasets, cache and settings once, leaves Chromium files, and is done', async () => {
    const m = await machine();
    await oldHome(m.cliOld, 'cli');
    const before = await tree(m.cliOld);
    expect(resolveHome(m.opts)).toBe(m.cliOld); // the CLI keeps seeing the runs before the move

    const opened = await openHome(m.opts);
    expect(opened.home).toBe(m.target);
    expect(opened.migrated).toMatchObject({ from: m.cliOld, to: m.target, moved: ['runs', 'datasets', 'cache', 'settings.json'], copied: [] });
    expect(opened.notes[0]).toMatch(/^Moved runs, datasets, cache, settings.json from .*config\/Conv Lab to .*data\/Conv Lab\.$/);
    expect(await tree(m.target)).toEqual(before.filter((p) => !p.startsWith('Local Storage')));
    expect(await readFile(join(m.target, 'settings.json'), 'utf8')).toBe('{"theme":"cli"}');
    expect(await readdir(m.cliOld)).toEqual(['Local Storage']);
    expect(existsSync(join(m.target, MIGRATION_MARKER))).toBe(false);

    // Second start: nothing left to move, the same home, and the CLI agrees.
    expect(await openHome(m.opts)).toEqual({ home: m.target, source: 'default', notes: [] });
    expect(resolveHome(m.opts)).toBe(m.target);
  });

  it("the app's own older folder (package name conv-lab) migrates too", async () => {
    const m = await machine();
    await oldHome(m.appOld, 'app');
    const opened = await openHome(m.opts);
    expect(opened.migrated?.from).toBe(m.appOld);
    expect(await readdir(join(m.target, 'runs'))).toEqual(['run-app']);
  });

  it('both exist: uses the new home, leaves the old one byte for byte, and says where it is', async () => {
    const m = await machine();
    await oldHome(m.appOld, 'old');
    await oldHome(m.target, 'new');
    const oldBefore = await tree(m.appOld);
    const opened = await openHome(m.opts);
    expect(opened.home).toBe(m.target);
    expect(opened.migrated).toBeUndefined();
    expect(opened.notes).toHaveLength(1);
    expect(opened.notes[0]).toContain(`${m.appOld}; they were left untouched`);
    expect(opened.notes[0]).toContain(`CONVLAB_HOME="${m.appOld}"`);
    expect(await tree(m.appOld)).toEqual(oldBefore);
    expect(await readFile(join(m.appOld, 'settings.json'), 'utf8')).toBe('{"theme":"old"}');
    expect(await readdir(join(m.target, 'runs'))).toEqual(['run-new']);
  });

  it('CONVLAB_HOME set: that folder, no migration, the old home untouched', async () => {
    const m = await machine();
    await oldHome(m.cliOld, 'cli');
    const chosen = join(dir, 'elsewhere');
    const opened = await openHome({ ...m.opts, env: { ...m.env, CONVLAB_HOME: chosen } });
    expect(opened).toEqual({ home: chosen, source: 'env', notes: [] });
    expect(existsSync(m.target)).toBe(false);
    expect(await readdir(join(m.cliOld, 'runs'))).toEqual(['run-cli']);
  });

  it('an empty runs/ in the new home is replaced; a settings.json there is kept and the old one stays', async () => {
    const m = await machine();
    await oldHome(m.cliOld, 'cli');
    await mkdir(join(m.target, 'runs'), { recursive: true });
    await writeFile(join(m.target, 'settings.json'), '{"theme":"mine"}');
    const opened = await openHome(m.opts);
    expect(opened.migrated).toMatchObject({ moved: ['runs', 'datasets', 'cache'], keptInPlace: ['settings.json'] });
    expect(opened.notes[0]).toContain('settings.json stayed in');
    expect(await readFile(join(m.target, 'settings.json'), 'utf8')).toBe('{"theme":"mine"}');
    expect(await readFile(join(m.cliOld, 'settings.json'), 'utf8')).toBe('{"theme":"cli"}');
    expect(await readdir(join(m.target, 'runs'))).toEqual(['run-cli']);
  });

  it('a move cut short resumes on the next start from the folder its marker names', async () => {
    const m = await machine();
    await oldHome(m.cliOld, 'cli');
    // State after a crash: runs/ already moved, the rest not, the marker still there.
    await mkdir(m.target, { recursive: true });
    await writeFile(join(m.target, MIGRATION_MARKER), JSON.stringify({ version: 1, from: m.cliOld }));
    const { rename } = await import('node:fs/promises');
    await rename(join(m.cliOld, 'runs'), join(m.target, 'runs'));
    expect(resolveHome(m.opts)).toBe(m.target); // the marker says the move is under way

    const opened = await openHome(m.opts);
    expect(opened.migrated).toMatchObject({ from: m.cliOld, moved: ['datasets', 'cache', 'settings.json'] });
    expect(await readdir(m.target)).toEqual(['cache', 'datasets', 'runs', 'settings.json']);
  });

  it('a marker naming a folder that is not an older Conv Lab home is ignored', async () => {
    const m = await machine();
    const stranger = join(dir, 'someone-else');
    await oldHome(stranger, 'x');
    await mkdir(m.target, { recursive: true });
    await writeFile(join(m.target, MIGRATION_MARKER), JSON.stringify({ version: 1, from: stranger }));
    const opened = await openHome(m.opts);
    expect(opened.migrated).toBeUndefined();
    expect(await readdir(join(stranger, 'runs'))).toEqual(['run-x']);
  });

  it('when the move cannot happen, keeps using the old home, loses nothing and says why', async () => {
    const m = await machine();
    await oldHome(m.cliOld, 'cli');
    await writeFile(join(dir, 'data'), 'a file where the data folder should be');
    const before = await tree(m.cliOld);
    const opened = await openHome(m.opts);
    expect(opened.home).toBe(m.cliOld);
    expect(opened.source).toBe('legacy');
    expect(opened.migrationError).toMatch(/ENOTDIR|EEXIST/);
    expect(opened.notes[0]).toMatch(/Could not move .* Conv Lab keeps using .*config\/Conv Lab; nothing was deleted/);
    expect(await tree(m.cliOld)).toEqual(before);
  });

  it('macOS layout: moves the older home into its own Data subfolder', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convlab-migrate-mac-'));
    const support = join(dir, 'Library', 'Application Support');
    await oldHome(join(support, 'Conv Lab'), 'mac');
    const opened = await openHome({ env: {}, platform: 'darwin', homedir: dir });
    expect(opened.home).toBe(join(support, 'Conv Lab', 'Data'));
    expect(await readdir(join(support, 'Conv Lab'))).toEqual(['Data', 'Local Storage']);
    expect(await readdir(join(opened.home, 'datasets'))).toEqual(['ds-mac']);
  });
});

// Across file systems rename fails with EXDEV and the entries are copied, verified and removed.
const shm = '/dev/shm';
const crossDevice = existsSync(shm) && statSync(shm).dev !== statSync(tmpdir()).dev;
if (!crossDevice) console.warn(`homeMigration: ${shm} is not a separate file system here, so the EXDEV copy path runs only through copyVerified`);

describe('moving across file systems', () => {
  let shmDir = '';
  afterEach(async () => {
    if (shmDir) await rm(shmDir, { recursive: true, force: true });
    shmDir = '';
  });

  it.skipIf(!crossDevice)('copies each entry, checks it, then removes the original', async () => {
    shmDir = await mkdtemp(join(shm, 'convlab-migrate-'));
    const m = await machine(shmDir);
    await oldHome(m.cliOld, 'x');
    const before = await tree(m.cliOld);
    const opened = await openHome(m.opts);
    expect(opened.migrated).toMatchObject({ moved: [], copied: ['runs', 'datasets', 'cache', 'settings.json'] });
    expect(opened.notes[0]).toContain('copied across drives, verified, then removed from the old place');
    expect(await tree(m.target)).toEqual(before.filter((p) => !p.startsWith('Local Storage')));
    expect((await readFile(join(m.target, 'datasets', 'ds-x', 'tensors.bin'))).every((b) => b === 3)).toBe(true);
    expect(await readdir(m.cliOld)).toEqual(['Local Storage']);
    expect((await readdir(m.target)).filter((n) => n.startsWith('.'))).toEqual([]); // no staging left
  });

  it('copyVerified replaces a leftover staging copy and reproduces the tree', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convlab-copy-'));
    await oldHome(join(dir, 'src'), 'c');
    await mkdir(join(dir, 'staging', 'stale'), { recursive: true });
    await copyVerified(join(dir, 'src'), join(dir, 'staging'));
    expect(await tree(join(dir, 'staging'))).toEqual(await tree(join(dir, 'src')));
  });
});
