import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureHome, holdsLabData, legacyHomes, locateHome, resolveHome, userDataFolder } from '../../../src/main/services/home';

describe('resolveHome', () => {
  const env = { CONVLAB_HOME: '/srv/convlab', XDG_DATA_HOME: '/xdg-data', APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' };

  it('--home beats CONVLAB_HOME beats the per-user data folder', () => {
    expect(locateHome({ home: '/data/lab', env, platform: 'linux', homedir: '/home/ada' })).toEqual({ home: '/data/lab', source: 'flag' });
    expect(locateHome({ env, platform: 'linux', homedir: '/home/ada' })).toEqual({ home: '/srv/convlab', source: 'env' });
    expect(resolveHome({ env: { ...env, CONVLAB_HOME: '' }, platform: 'linux', homedir: '/home/ada' })).toBe('/xdg-data/Conv Lab');
  });

  it('puts runs and datasets in the platform data folder, not in Electron userData', () => {
    expect(resolveHome({ env: {}, platform: 'linux', homedir: '/home/ada' })).toBe('/home/ada/.local/share/Conv Lab');
    expect(resolveHome({ env: { XDG_DATA_HOME: '/xdg' }, platform: 'linux', homedir: '/home/ada' })).toBe('/xdg/Conv Lab');
    // XDG: a relative XDG_DATA_HOME is invalid and ignored.
    expect(resolveHome({ env: { XDG_DATA_HOME: 'rel' }, platform: 'linux', homedir: '/home/ada' })).toBe('/home/ada/.local/share/Conv Lab');
    // macOS: a subfolder of userData, so cache/ never meets Chromium's Cache/ on a case-insensitive disk.
    expect(resolveHome({ env: {}, platform: 'darwin', homedir: '/Users/ada' })).toBe('/Users/ada/Library/Application Support/Conv Lab/Data');
    expect(resolveHome({ env: { LOCALAPPDATA: 'D:\\Local' }, platform: 'win32', homedir: 'C:\\Users\\ada' })).toBe('D:\\Local\\Conv Lab');
    expect(resolveHome({ env: {}, platform: 'win32', homedir: 'C:\\Users\\ada' })).toBe('C:\\Users\\ada\\AppData\\Local\\Conv Lab');
  });

  it('computes Electron userData for an app name, and the two names older versions used', () => {
    expect(userDataFolder('linux', {}, '/home/ada')).toBe('/home/ada/.config/Conv Lab');
    expect(userDataFolder('linux', { XDG_CONFIG_HOME: 'rel' }, '/home/ada')).toBe('/home/ada/.config/Conv Lab');
    expect(userDataFolder('darwin', {}, '/Users/ada')).toBe('/Users/ada/Library/Application Support/Conv Lab');
    expect(userDataFolder('win32', { APPDATA: env.APPDATA }, 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\Conv Lab');
    expect(legacyHomes('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ada')).toEqual(['/cfg/Conv Lab', '/cfg/conv-lab']);
    expect(legacyHomes('win32', {}, 'C:\\Users\\ada')).toEqual([
      'C:\\Users\\ada\\AppData\\Roaming\\Conv Lab',
      'C:\\Users\\ada\\AppData\\Roaming\\conv-lab',
    ]);
  });

  it('resolves a relative --home against the working directory and rejects an empty one', () => {
    expect(resolveHome({ home: 'lab-home', env: {} })).toBe(resolve('lab-home'));
    expect(() => resolveHome({ home: '  ', env: {} })).toThrow(/--home is empty/);
    expect(() => resolveHome({ env: { CONVLAB_HOME: ' ' } })).toThrow(/CONVLAB_HOME is empty/);
  });
});

describe('locateHome on real folders', () => {
  let dir = '';
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('points at an older home that holds runs until it is moved, so the CLI sees the same runs', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convlab-locate-'));
    const env = { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') };
    const old = join(dir, 'config', 'conv-lab');
    expect(locateHome({ env, platform: 'linux', homedir: dir })).toEqual({ home: join(dir, 'data', 'Conv Lab'), source: 'default' });
    // An empty runs/ (what ensureHome makes) is not data.
    await mkdir(join(old, 'runs'), { recursive: true });
    expect(holdsLabData(old)).toBe(false);
    await mkdir(join(old, 'runs', 'run-1'));
    expect(holdsLabData(old)).toBe(true);
    expect(locateHome({ env, platform: 'linux', homedir: dir })).toEqual({ home: old, source: 'legacy' });
    // Once the data folder holds a dataset, it wins.
    await mkdir(join(dir, 'data', 'Conv Lab', 'datasets', 'ds-1'), { recursive: true });
    expect(locateHome({ env, platform: 'linux', homedir: dir })).toEqual({ home: join(dir, 'data', 'Conv Lab'), source: 'default' });
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
