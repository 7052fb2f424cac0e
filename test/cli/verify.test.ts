// `convlab verify` as a user runs it: the real CLI in a child process.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

function verify(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'convlab.mjs'), 'verify', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CONVLAB_CLI: 'source' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function caseFile(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-verify-'));
  const file = join(dir, 'cases.json');
  writeFileSync(file, body);
  return file;
}

describe('convlab verify (cpu backend, so this tier needs no GPU)', () => {
  it('passes the worked example and ends with the summary line', () => {
    const r = verify([join(root, 'test/fixtures/cases/worked-example.json'), '--backend', 'cpu']);
    expect(r.stdout).toMatch(/^pass\s+worked-example\s+conv2d\s+worst abs error/m);
    expect(r.stdout.trim().split('\n').pop()).toBe('1 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it('malformed JSON: one clear line, exit 1, no stack trace', () => {
    const r = verify([caseFile('{"format": "convlab-cases/1", "cases": [ {'), '--backend', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cases\.json: .*JSON/i);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad case is reported by name and field; the others still run', () => {
    const good = JSON.parse(readFileSync(join(root, 'test/fixtures/cases/worked-example.json'), 'utf8')).cases[0];
    const bad = { ...good, name: 'short-data', inputs: { ...good.inputs, weight: { shape: [10, 3, 3, 3], data: [1, 2, 3] } } };
    const unknown = { name: 'mystery', op: 'conv3d', inputs: {}, expected: {} };
    const r = verify([caseFile(JSON.stringify({ format: 'convlab-cases/1', cases: [good, bad, unknown] })), '--backend', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+short-data.*inputs\.weight.*3 numbers.*270/);
    expect(r.stdout).toMatch(/FAIL\s+mystery.*unknown op "conv3d"/);
    expect(r.stdout.trim().split('\n').pop()).toBe('1 passed, 2 failed');
  });

  it('a wrong expected value fails the case with its worst error', () => {
    const c = JSON.parse(readFileSync(join(root, 'test/fixtures/cases/worked-example.json'), 'utf8')).cases[0];
    c.expected.output.data[4] += 0.5;
    const r = verify([caseFile(JSON.stringify({ format: 'convlab-cases/1', cases: [c] })), '--backend', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+worked-example.*output: 1 mismatches, worst 5\.00e-1/);
  });

  it('usage mistakes exit 2: no file, two files, an unknown flag, a bad backend', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /missing CASES\.json/],
      [['a.json', 'b.json'], /unexpected argument "b\.json"/],
      [['a.json', '--fast'], /unknown option --fast/],
      [['a.json', '--backend', 'metal'], /--backend must be one of webgpu, cpu, got "metal"/],
    ];
    for (const [args, message] of cases) {
      const r = verify(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a missing file says so', () => {
    const r = verify(['/nonexistent/cases.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read \/nonexistent\/cases\.json: ENOENT/);
  });
});
