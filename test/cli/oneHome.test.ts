// One home for the app and the CLI: with no --home and no CONVLAB_HOME, a run trained with
// `convlab train` is in the Runs list of the app's service (started here as `convlab web` starts
// it, on the same default home), and a run the app's service writes is in `convlab runs list`.
// The default home comes from the user's home folder and XDG_DATA_HOME, both set to temp folders.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { createWsLabClient, type WebSocketLike } from '../../src/renderer/src/lab/wsClient';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'convlab.mjs');

describe('one home for the CLI and the app', () => {
  it('a CLI run shows in the app service\'s Runs, and an app run in convlab runs list', async () => {
    const user = mkdtempSync(join(tmpdir(), 'convlab-onehome-'));
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: user, XDG_DATA_HOME: join(user, 'data'), XDG_CONFIG_HOME: join(user, 'config'), CONVLAB_CLI: 'source' };
    delete env.CONVLAB_HOME;
    const statics = mkdtempSync(join(tmpdir(), 'convlab-onehome-static-'));
    writeFileSync(join(statics, 'index.html'), '<!doctype html><title>Conv Lab</title>');
    const trained = spawnSync(process.execPath, [bin, 'train', '--backend', 'cpu', '--max-steps', '2', '--batch', '16', '--json'], { cwd: root, env, encoding: 'utf8', timeout: 240_000 });
    expect(trained.status, trained.stderr).toBe(0);
    const cliRun = JSON.parse(trained.stdout.trim().split('\n').pop()!).run_id as string;

    const web = spawn(process.execPath, [bin, 'web', '--renderer', statics], { cwd: root, env });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        web.stdout.on('data', (c) => {
          out += c;
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(out);
          if (m) resolve(m[0]);
        });
        web.on('close', (code) => reject(new Error(`convlab web exited with ${code}`)));
      });
      const u = new URL(url);
      const lab = createWsLabClient(`ws://${u.host}/lab?token=${u.searchParams.get('token')}`, (s) => new WebSocket(s) as unknown as WebSocketLike);
      try {
        expect((await lab.runs.list()).runs.map((r) => r.id)).toContain(cliRun);
        // …and the other way: a run the app writes (as its training worker does) is the CLI's too.
        const { id: appRun } = await lab.runs.create({ name: 'from the app', config: {}, modelSpec: 'flatten linear(10)', dataset: { id: 'builtin:fashion-mnist-mini' }, seed: 1 });
        await lab.runs.finish(appRun, 'stopped');
        const listed = spawnSync(process.execPath, [bin, 'runs', 'list', '--json'], { cwd: root, env, encoding: 'utf8' });
        expect(listed.status, listed.stderr).toBe(0);
        expect(listed.stdout).toContain(appRun);
        expect(listed.stdout).toContain(cliRun);
      } finally {
        lab.close();
      }
    } finally {
      web.kill('SIGTERM');
      await rm(statics, { recursive: true, force: true });
      await rm(user, { recursive: true, force: true });
    }
  }, 240_000);
});
