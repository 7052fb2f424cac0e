// Runs the real `npm start` script with the electron package location pointed at a folder that
// lacks the runtime, as after an install on a machine that cannot reach Electron's download
// host: it must explain in one paragraph and then serve the same app in browser mode.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));

function envFor(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', ...extra };
  delete env.ELECTRON_EXEC_PATH;
  return env;
}

describe('scripts/start.mjs without the Electron runtime', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'convlab-start-'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  function expectExplained(stderr: string, why: RegExp) {
    const paragraph = stderr.split('\n\n')[0]!;
    expect(paragraph).toContain('The Electron runtime is not installed');
    expect(paragraph).toMatch(why);
    expect(paragraph).toContain('npx install-electron');
    expect(paragraph.split('\n').length).toBeLessThanOrEqual(5);
    // Plain words only: no stack trace, and Electron's own download was never started.
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toMatch(/Downloading Electron/);
  }

  it('--no-browser only explains: no build, no server, exit status 1', async () => {
    const dir = path.join(base, 'no-path-txt');
    await mkdir(dir);
    const r = spawnSync(process.execPath, [script, '--no-browser'], { env: envFor({ CONVLAB_ELECTRON_DIR: dir }), encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expectExplained(r.stderr, /path\.txt is absent/);
    expect(r.stderr).toContain('npm run train');
    expect(r.stderr).not.toMatch(/Building Conv Lab/);
    expect(r.stdout).not.toMatch(/127\.0\.0\.1/);
  });

  it('refuses an unknown option with exit status 2', () => {
    const r = spawnSync(process.execPath, [script, '--no-browsr'], { env: envFor({}), encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --no-browsr/);
  });

  it('serves the app in browser mode on 127.0.0.1: the URL with its token, /api/health answers', async () => {
    const dir = path.join(base, 'no-executable');
    await mkdir(path.join(dir, 'dist'), { recursive: true });
    await writeFile(path.join(dir, 'path.txt'), 'electron');
    const home = path.join(base, 'home');
    const child: ChildProcess = spawn(process.execPath, [script], { env: envFor({ CONVLAB_ELECTRON_DIR: dir, CONVLAB_HOME: home }) });
    let stderr = '';
    child.stderr!.on('data', (c) => (stderr += c));
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        child.stdout!.on('data', (c) => {
          out += c;
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(out);
          if (m) resolveUrl(m[0]);
        });
        child.on('close', (code) => reject(new Error(`npm start exited with ${code} before printing a URL:\n${stderr}`)));
      });
      expectExplained(stderr, /names .*electron, which does not exist/);
      const token = new URL(url).searchParams.get('token')!;
      const origin = url.slice(0, url.indexOf('/?'));
      const health = await fetch(`${origin}/api/health?token=${token}`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
      expect((await fetch(`${origin}/api/health`)).status).toBe(401);
      // The page itself is the built renderer.
      expect(await (await fetch(url)).text()).toContain('<title>Conv Lab</title>');
      const code = await new Promise<number | null>((r) => {
        child.on('close', r);
        child.kill('SIGTERM');
      });
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 300_000);
});
