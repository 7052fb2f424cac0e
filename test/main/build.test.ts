// Runs the real electron-vite build (into a temporary folder, so a parallel `npm run build`
// is not disturbed) and checks the properties the Electron shell relies on at runtime.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/main/csp';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('electron-vite build', () => {
  let outDir: string;
  beforeAll(() => {
    // Inside the repository (under node_modules/.cache) rather than /tmp, so the built main
    // process resolves its external dependencies (fast-png, jpeg-js, ...) from node_modules
    // exactly as out/ does in the app.
    const cache = path.join(repoRoot, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    outDir = mkdtempSync(path.join(cache, 'convlab-build-'));
    const cli = path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
    execFileSync(process.execPath, [cli, 'build', '--outDir', outDir], { cwd: repoRoot, stdio: 'pipe' });
  }, 120_000);
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('bundles the preload into one CommonJS file that requires only electron', () => {
    expect(readdirSync(path.join(outDir, 'preload'))).toEqual(['index.cjs']);
    const code = readFileSync(path.join(outDir, 'preload', 'index.cjs'), 'utf8');
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).toContain('exposeInMainWorld("lab"');
  });

  it('builds the image-decoding worker beside the main entry, and it decodes in a real worker thread', async () => {
    const built = path.join(outDir, 'main', 'decodeWorker.js');
    expect(existsSync(built)).toBe(true);
    const { DecodePool } = await import('../../src/main/services/datasets/decodePool');
    const { DEFAULT_IMAGE_LIMITS } = await import('../../src/main/services/datasets/imageHeader');
    const { encode } = await import('fast-png');
    const png = path.join(outDir, 'probe.png');
    writeFileSync(png, encode({ width: 3, height: 2, data: new Uint8Array([0, 50, 100, 150, 200, 250]), channels: 1, depth: 8 }));
    const pool = new DecodePool(1, { role: 'convlab-decode', limits: DEFAULT_IMAGE_LIMITS, maxFileBytes: 1 << 20 }, pathToFileURL(built));
    try {
      const out = await pool.decode(png, { channels: 1, height: 2, width: 3, fit: 'resize' });
      expect(out).toEqual({ ok: true, data: new Uint8Array([0, 50, 100, 150, 200, 250]) });
    } finally {
      await pool.close();
    }
  });

  it('writes the main entry where package.json "main" points', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/index.js');
    expect(existsSync(path.join(outDir, 'main', 'index.js'))).toBe(true);
  });

  it('emits the renderer with relative asset URLs and the CSP meta tag', () => {
    const html = readFileSync(path.join(outDir, 'renderer', 'index.html'), 'utf8');
    expect(html).toContain(`content="${CONTENT_SECURITY_POLICY}"`);
    expect(html).toMatch(/<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js">/);
    // No inline scripts: script-src 'self' would block them.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
