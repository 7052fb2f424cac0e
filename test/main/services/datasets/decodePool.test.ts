import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encode as encodePng } from 'fast-png';
import { DecodePool, decodeWorkerUrl } from '../../../../src/main/services/datasets/decodePool';
import type { DecodeWorkerData } from '../../../../src/main/services/datasets/decodeWorker';
import type { DecodeTarget } from '../../../../src/main/services/datasets/decodeImage';
import { DEFAULT_IMAGE_LIMITS } from '../../../../src/main/services/datasets/imageHeader';

const temps: string[] = [];
const pools: DecodePool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pool-'));
  temps.push(d);
  return d;
}

const data: DecodeWorkerData = { role: 'convlab-decode', limits: DEFAULT_IMAGE_LIMITS, maxFileBytes: 1 << 20 };
const target: DecodeTarget = { channels: 1, height: 2, width: 2, fit: 'resize' };

function pool(size: number, url?: URL): DecodePool {
  const p = new DecodePool(size, data, url);
  pools.push(p);
  return p;
}

/**
 * A real worker script speaking the pool's protocol that dies on purpose: process.exit() on a path
 * containing "exit", an uncaught throw on "throw", otherwise it answers with the path's length. It
 * answers asynchronously, so several requests sit in its queue when it dies.
 */
function dyingWorker(dir: string, alwaysDie = false): URL {
  const file = join(dir, alwaysDie ? 'always.mjs' : 'dying.mjs');
  writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';
${alwaysDie ? 'process.exit(3);' : ''}
parentPort.on('message', ({ id, path }) => {
  if (path.includes('exit')) process.exit(7);
  if (path.includes('throw')) throw new Error('boom in ' + path);
  parentPort.postMessage({ id, ok: true, data: Uint8Array.of(path.length) });
});
`,
  );
  return pathToFileURL(file);
}

describe('DecodePool', () => {
  it('decodes real files in the real worker and reports bad ones', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.png'), encodePng({ width: 2, height: 2, channels: 1, depth: 8, data: Uint8Array.of(1, 2, 3, 4) }));
    writeFileSync(join(dir, 'b.png'), 'text');
    expect(decodeWorkerUrl().pathname).toMatch(/decodeWorkerEntry\.mjs$/);
    const p = pool(2);
    const files = ['a.png', 'b.png', 'gone.png'].map((f) => join(dir, f));
    const [a, b, missing] = await Promise.all(files.map((f) => p.decode(f, target)));
    expect(a).toEqual({ ok: true, data: Uint8Array.of(1, 2, 3, 4) });
    expect(b).toEqual({ ok: false, reason: 'not a PNG, JPEG, BMP or WebP image' });
    expect(missing).toEqual({ ok: false, reason: 'unreadable: the file disappeared (ENOENT)' });
    const [ha, hb] = await Promise.all(files.slice(0, 2).map((f) => p.probe(f)));
    expect(ha).toMatchObject({ ok: true, header: { format: 'png', width: 2, height: 2, color: false } });
    expect(hb).toEqual({ ok: false, reason: 'not a PNG, JPEG, BMP or WebP image' });
    // A folder where a file was (swapped after the scan) is refused, not read.
    mkdirSync(join(dir, 'now-a-folder.png'));
    expect(await p.decode(join(dir, 'now-a-folder.png'), target)).toEqual({ ok: false, reason: 'unreadable: is a folder (EISDIR)' });
  });

  it('fails only the file that killed a worker, requeues the others it held, and replaces it', async () => {
    const p = pool(1, dyingWorker(tempDir()));
    const paths = ['one', 'exit-1', 'three', 'throw-4', 'fifth'];
    const out = await Promise.all(paths.map((x) => p.decode(x, target)));
    expect(out[0]).toEqual({ ok: true, data: Uint8Array.of(3) });
    expect(out[1]).toEqual({ ok: false, reason: 'decoder crashed on this file (worker exited with code 7)' });
    expect(out[2]).toEqual({ ok: true, data: Uint8Array.of(5) });
    expect(out[3]).toMatchObject({ ok: false, reason: expect.stringMatching(/^decoder crashed on this file \(worker boom in throw-4\)$/) });
    expect(out[4]).toEqual({ ok: true, data: Uint8Array.of(5) });
  });

  it('gives up with a clear error when workers die without finishing anything', async () => {
    const p = pool(2, dyingWorker(tempDir(), true));
    const jobs = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((x) => p.decode(x, target).catch((e: Error) => e.message));
    const results = await Promise.all(jobs);
    expect(results.some((r) => typeof r === 'string' && /^Image decode workers keep crashing/.test(r))).toBe(true);
    await expect(p.decode('later', target)).rejects.toThrow(/keep crashing/);
  });

  it('rejects queued work once closed', async () => {
    const p = pool(1);
    await p.close();
    await expect(p.decode('/x.png', target)).rejects.toThrow('decode pool is closed');
  });
});
