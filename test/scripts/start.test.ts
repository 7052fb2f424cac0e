// Runs the real `npm start` script with the electron package location pointed at folders that
// lack the runtime, as after `ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install` or an offline install.
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));

function runStart(env: Record<string, string>) {
  const cleanEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete cleanEnv.ELECTRON_EXEC_PATH;
  return spawnSync(process.execPath, [script], { env: cleanEnv, encoding: 'utf8', timeout: 30_000 });
}

describe('scripts/start.mjs without the Electron runtime', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'convlab-start-'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  function expectExplained(result: ReturnType<typeof runStart>, why: RegExp) {
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the Electron runtime is not installed');
    expect(result.stderr).toMatch(why);
    expect(result.stderr).toContain('npm run train');
    expect(result.stderr).toContain('npm run web');
    expect(result.stderr).toContain('127.0.0.1');
    expect(result.stderr).toContain('node node_modules/electron/install.js');
    // Plain words only: no stack trace, and no build was started.
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toMatch(/building|vite v/);
  }

  it('explains and exits 1 when path.txt is absent', async () => {
    const dir = path.join(base, 'no-path-txt');
    await mkdir(dir);
    expectExplained(runStart({ CONVLAB_ELECTRON_DIR: dir }), /path\.txt is absent/);
  });

  it('explains and exits 1 when path.txt names an executable that is not there', async () => {
    const dir = path.join(base, 'no-executable');
    await mkdir(path.join(dir, 'dist'), { recursive: true });
    await writeFile(path.join(dir, 'path.txt'), 'electron');
    expectExplained(runStart({ CONVLAB_ELECTRON_DIR: dir }), /names .*electron, which does not exist/);
  });
});
