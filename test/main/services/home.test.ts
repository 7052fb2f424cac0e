import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureHome, resolveHome } from '../../../src/main/services/home';

describe('resolveHome', () => {
  const env = { CONVLAB_HOME: '/srv/convlab', XDG_CONFIG_HOME: '/xdg', APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' };

  it('--home beats CONVLAB_HOME beats the per-user folder', () => {
    expect(resolveHome({ home: '/data/lab', env, platform: 'linux', homedir: '/home/ada' })).toBe('/data/lab');
    expect(resolveHome({ env, platform: 'linux', homedir: '/home/ada' })).toBe('/srv/convlab');
    expect(resolveHome({ env: { ...env, CONVLAB_HOME: '' }, platform: 'linux', homedir: '/home/ada' })).toBe('/xdg/Conv Lab');
  });

  it('matches Electron userData for an app named "Conv Lab" on each platform', () => {
    expect(resolveHome({ env: {}, platform: 'linux', homedir: '/home/ada' })).toBe('/home/ada/.config/Conv Lab');
    expect(resolveHome({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux', homedir: '/home/ada' })).toBe('/xdg/Conv Lab');
    expect(resolveHome({ env: { XDG_CONFIG_HOME: 'rel' }, platform: 'linux', homedir: '/home/ada' })).toBe('/home/ada/.config/Conv Lab');
    expect(resolveHome({ env: {}, platform: 'darwin', homedir: '/Users/ada' })).toBe('/Users/ada/Library/Application Support/Conv Lab');
    expect(resolveHome({ env: { APPDATA: env.APPDATA }, platform: 'win32', homedir: 'C:\\Users\\ada' })).toBe('C:\\Users\\ada\\AppData\\Roaming\\Conv Lab');
    expect(resolveHome({ env: {}, platform: 'win32', homedir: 'C:\\Users\\ada' })).toBe('C:\\Users\\ada\\AppData\\Roaming\\Conv Lab');
  });

  it('resolves a relative --home against the working directory and rejects an empty one', () => {
    expect(resolveHome({ home: 'lab-home', env: {} })).toBe(resolve('lab-home'));
    expect(() => resolveHome({ home: '  ', env: {} })).toThrow(/--home is empty/);
  });
});

describe('ensureHome', () => {
  let dir = '';
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('creates runs/, datasets/ and cache/ on demand, twice without complaint', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convlab-home-'));
    const home = join(dir, 'nested', 'home');
    const first = await ensureHome(home);
    const second = await ensureHome(home);
    expect(second).toEqual(first);
    for (const p of [first.runs, first.datasets, first.cache]) expect((await stat(p)).isDirectory()).toBe(true);
    expect(first.runs).toBe(join(home, 'runs'));
  });

  it('says which folder it could not create and what to do', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convlab-home-'));
    await writeFile(join(dir, 'blocker'), 'a file where a folder should be');
    await expect(ensureHome(join(dir, 'blocker'))).rejects.toThrow(/Cannot create .*blocker.*--home or CONVLAB_HOME/);
  });
});
