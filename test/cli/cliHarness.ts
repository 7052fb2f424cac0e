// Runs the real `convlab` command (node bin/convlab.mjs) in a child process with its own home.
// CLI tests run the TypeScript sources (CONVLAB_CLI=source), so they test the code as it is now
// without a build first; test/cli/bundle.test.ts runs the built bundle in out/cli.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');
const BIN = resolve(REPO, 'bin', 'convlab.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function convlab(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, CONVLAB_DEBUG: '', CONVLAB_CLI: 'source', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** The --json contract: the last line of stdout is exactly one JSON object. */
export function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trimEnd().split('\n');
  const value = JSON.parse(lines[lines.length - 1]) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`last line is not a JSON object: ${lines.at(-1)}`);
  return value as Record<string, unknown>;
}
