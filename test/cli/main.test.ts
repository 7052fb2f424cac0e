// The conventions every `convlab` command shares (src/cli/main.ts, src/cli/args.ts), through the
// real command: --version, help that lists every command, and exit status 2 for usage mistakes.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convlab, REPO } from './cliHarness';

let home: string;
let env: Record<string, string>;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-cli-main-'));
  env = { CONVLAB_HOME: home };
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

const COMMANDS = ['verify', 'train', 'datasets', 'runs', 'eval', 'predict', 'sweep', 'inspect', 'bench', 'web'];

describe('convlab', () => {
  it('--version and -V print package.json\'s version and exit 0', async () => {
    const { version } = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await convlab([flag], env);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, `${version}\n`, '']);
    }
  });

  it('help, --help and -h list every command on stdout and exit 0; no command is a usage error', async () => {
    for (const args of [['help'], ['--help'], ['-h']]) {
      const r = await convlab(args, env);
      expect(r.code).toBe(0);
      for (const name of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
      expect(r.stdout).toMatch(/--version/);
    }
    const none = await convlab([], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/usage: convlab <command>/);
  });

  it('every command answers --help with its own usage and exit 0', async () => {
    const results = await Promise.all(COMMANDS.map((name) => convlab([name, '--help'], env)));
    results.forEach((r, i) => {
      expect(r.code, COMMANDS[i]).toBe(0);
      expect(r.stdout, COMMANDS[i]).toMatch(new RegExp(`usage:[\\s\\S]*convlab ${COMMANDS[i]}`));
    });
  });

  it('usage mistakes are one line on stderr with exit 2, before any work starts', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /unknown command "frobnicate"/],
      [['bench', '--repeat', 'abc'], /--repeat must be a whole number from 1 to 100, got "abc"/],
      [['bench', '--json', 'report.json'], /unexpected argument "report\.json"/],
      [['bench', '--json=report.json'], /--json takes no value/],
      [['train', '--batch', '2.5'], /--batch must be a whole number of at least 1, got "2\.5"/],
      [['train', '--schedule', 'wobbly'], /--schedule: unknown schedule "wobbly"/],
      [['web', '--port', '99999'], /--port must be a whole number from 0 to 65535/],
      [['runs', 'show'], /missing ID/],
    ];
    const results = await Promise.all(cases.map(([args]) => convlab(args, env)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = results[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      // The unknown-command case prints the command list after its one line; the rest are one line.
      if (args[0] !== 'frobnicate') expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
