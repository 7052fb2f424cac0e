#!/usr/bin/env node
// Times importImageFolder on 10,000 28x28 grayscale PNGs in 10 class folders (MNIST-sized), the
// case a user hits first. Usage: node scripts/bench_import.mjs [--workers N] [--count N]
// Writes the images and a throwaway home into a temp folder and removes both afterwards.
import { register } from 'tsx/esm/api';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';

register(); // the importer is TypeScript source
const { importImageFolder } = await import('../src/main/services/datasets/imageFolder.ts');
const { defaultWorkerCount } = await import('../src/main/services/datasets/decodePool.ts');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} takes a whole number >= 1`);
  return v;
}

const count = arg('count', 10_000);
const workers = arg('workers', defaultWorkerCount());
const work = mkdtempSync(join(tmpdir(), 'convlab-bench-import-'));
try {
  const root = join(work, 'digits');
  const side = 28;
  // A blob per image whose position and brightness vary, like a stroke on black: compresses like
  // real digit scans rather than like noise or a flat fill.
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const t0 = performance.now();
  for (let c = 0; c < 10; c++) mkdirSync(join(root, `class_${c}`), { recursive: true });
  for (let i = 0; i < count; i++) {
    const data = new Uint8Array(side * side);
    const cx = 6 + rand() * 16;
    const cy = 6 + rand() * 16;
    const r = 3 + rand() * 6;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const d = Math.hypot(x - cx, y - cy);
        data[y * side + x] = d < r ? Math.min(255, Math.round(255 * (1 - d / r) + rand() * 30)) : 0;
      }
    }
    const file = join(root, `class_${i % 10}`, `${String(i).padStart(5, '0')}.png`);
    writeFileSync(file, encode({ width: side, height: side, channels: 1, depth: 8, data }));
  }
  const written = (performance.now() - t0) / 1000;

  const home = join(work, 'home');
  const t1 = performance.now();
  const result = await importImageFolder(home, { path: root, name: 'bench', workers });
  const seconds = (performance.now() - t1) / 1000;
  if (result.imported !== count) throw new Error(`imported ${result.imported} of ${count} images`);
  console.log(`wrote ${count} PNGs (${side}x${side}, 10 classes) in ${written.toFixed(1)} s`);
  console.log(
    `importImageFolder: ${count} images in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} images/s ` +
      `(workers ${workers}, ${result.manifest.channels}x${result.manifest.height}x${result.manifest.width})`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
