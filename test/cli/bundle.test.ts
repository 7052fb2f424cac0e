// The built CLI (scripts/node/buildCli.mjs): bundled into a folder of its own here (out/cli-test,
// so a test never rewrites out/cli under another process), then run as users run it. Checks that
// the WGSL is inlined, the decode worker loads from the bundle, the commands work, and how
// bin/convlab.mjs chooses between the bundle and the sources.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './cliHarness';

const outdir = join(REPO, 'out', 'cli-test');
const fixtures = join(REPO, 'test', 'fixtures');
let home: string;

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(outdir, 'main.js'), ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CONVLAB_HOME: home, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'convlab-bundle-'));
  const built = spawnSync(process.execPath, [join(REPO, 'scripts', 'node', 'buildCli.mjs'), '--outdir', outdir], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  if (built.status !== 0) throw new Error(`buildCli failed: ${built.stderr}`);
}, 120_000);
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('the bundled CLI', () => {
  it('inlines every kernel as a string and leaves only native packages external', () => {
    const code = readdirSync(outdir).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(outdir, f), 'utf8')).join('\n');
    expect(code).not.toMatch(/\.wgsl\?raw/);
    const gemm = readFileSync(join(REPO, 'kernels', 'gemm.wgsl'), 'utf8');
    expect(code).toContain(JSON.stringify(gemm.split('\n').find((l) => l.includes('@compute'))!.trim()).slice(1, -1));
    const external = [...code.matchAll(/from\s+"([^".][^"]*)"/g)].map((m) => m[1]!).filter((s) => !isBuiltin(s));
    expect([...new Set(external)].sort()).toEqual(['webgpu']);
    const inputs = JSON.parse(readFileSync(join(outdir, 'inputs.json'), 'utf8')) as { builtAt: number; inputs: string[] };
    expect(inputs.inputs).toEqual(expect.arrayContaining(['src/cli/main.ts', 'kernels/gemm.wgsl', 'package-lock.json']));
  });

  it('prints its version and lists runs', () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const list = run(['runs', 'list', '--json']);
    expect([list.code, JSON.parse(list.stdout)]).toEqual([0, { runs: [], problems: [] }]);
  });

  it('imports an image folder with the decode worker from the bundle (PNG, BMP, WebP)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'convlab-bundle-images-'));
    try {
      for (const [cls, name] of [['a', 'rgb24.bmp'], ['a', 'palette8.bmp'], ['b', 'lossless.webp'], ['b', 'lossy.webp']]) {
        mkdirSync(join(folder, cls!), { recursive: true });
        cpSync(join(fixtures, 'images', name!), join(folder, cls!, name!));
      }
      const r = run(['datasets', 'import', folder, '--size', '8', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toMatchObject({ imported: 4, skipped: [], classes: ['a', 'b'] });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('verifies the worked example on the CPU twins', () => {
    const r = run(['verify', join(fixtures, 'cases', 'worked-example.json'), '--backend', 'cpu']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe('1 passed, 0 failed');
  });
});

describe('bin/convlab.mjs', () => {
  // A checkout of its own inside the repository (so tsx resolves from node_modules above it),
  // with stub entry points that say which one ran.
  const fake = join(REPO, 'out', 'bin-test');
  const stub = (which: string) => `export async function main(argv) { console.log('${which}', argv.join(' ')); return 0; }\n`;
  beforeAll(() => {
    rmSync(fake, { recursive: true, force: true });
    for (const d of ['bin', 'out/cli', 'src/cli', 'scripts/node']) mkdirSync(join(fake, d), { recursive: true });
    cpSync(join(REPO, 'bin', 'convlab.mjs'), join(fake, 'bin', 'convlab.mjs'));
    cpSync(join(REPO, 'scripts', 'node', 'rawImportHooks.mjs'), join(fake, 'scripts', 'node', 'rawImportHooks.mjs'));
    writeFileSync(join(fake, 'out', 'cli', 'main.js'), stub('bundle'));
    writeFileSync(join(fake, 'src', 'cli', 'main.ts'), stub('source'));
  });
  afterAll(() => rmSync(fake, { recursive: true, force: true }));

  const bin = (env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [join(fake, 'bin', 'convlab.mjs'), 'x', 'y'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, CONVLAB_CLI: '', ...env } });
    return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
  };
  const built = (builtAt: number) => writeFileSync(join(fake, 'out', 'cli', 'inputs.json'), JSON.stringify({ builtAt, inputs: ['src/cli/main.ts', 'src/gone.ts'] }));

  it('runs the bundle when no source is newer than it, silently', () => {
    built(Date.now() + 60_000);
    expect(bin()).toEqual({ code: 0, stdout: 'bundle x y', stderr: '' });
  });

  it('runs the sources, with one line on stderr, when a source changed after the build or out/cli is missing', () => {
    built(Date.now() - 60_000);
    utimesSync(join(fake, 'src', 'cli', 'main.ts'), new Date(), new Date());
    expect(bin()).toEqual({ code: 0, stdout: 'source x y', stderr: 'convlab: src/cli/main.ts changed after out/cli was built; running from the TypeScript sources (npm run build makes start-up faster)' });
    rmSync(join(fake, 'out', 'cli', 'inputs.json'));
    expect(bin().stderr).toMatch(/^convlab: out\/cli is not built; running from the TypeScript sources/);
  });

  it('CONVLAB_CLI forces one, and refuses other values', () => {
    expect(bin({ CONVLAB_CLI: 'bundle' })).toEqual({ code: 0, stdout: 'bundle x y', stderr: '' });
    expect(bin({ CONVLAB_CLI: 'source' })).toEqual({ code: 0, stdout: 'source x y', stderr: '' });
    expect(bin({ CONVLAB_CLI: 'fast' })).toMatchObject({ code: 2, stderr: 'convlab: CONVLAB_CLI must be "bundle" or "source", got "fast"' });
  });
});
