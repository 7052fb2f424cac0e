// What the eval/predict tests share: the real CLI in a child process, PyTorch's answers for the
// exported weights (test/helpers/torch_reference.py, preprocessing read from the file's own
// `convlab.preprocessing`), and builtin Fashion-MNIST test images written as PNGs.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import { expect } from 'vitest';

export const root = join(__dirname, '..', '..');
export const BUILTIN = join(root, 'data', 'fashion-mnist-mini');
const bin = join(root, 'bin', 'convlab.mjs');
const PYTHON = '/usr/bin/python3';
const REFERENCE = join(root, 'test', 'helpers', 'torch_reference.py');

export function convlab(home: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args, '--home', home], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const lastJson = (text: string) => JSON.parse(text.trim().split('\n').pop()!);

export function torch(args: string[]): Record<string, unknown> {
  const r = spawnSync(PYTHON, [REFERENCE, ...args], { encoding: 'utf8', timeout: 240_000 });
  // .ci/run installs python3-torch: a missing torch is a broken setup there, never a skip.
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** PyTorch's accuracy for exported weights on builtin test images first..first+count. */
export function torchAccuracy(weights: string, first: number, count: number): { accuracy: number; n: number } {
  return torch(['accuracy', weights, join(BUILTIN, 't10k-images-idx3-ubyte.gz'), join(BUILTIN, 't10k-labels-idx1-ubyte.gz'), String(first), String(count)]) as { accuracy: number; n: number };
}

/** The class names recorded in an exported safetensors file's `convlab.preprocessing`. */
export function classesOf(weights: string): string[] {
  const raw = readFileSync(weights);
  const header = JSON.parse(raw.subarray(8, 8 + Number(raw.readBigUInt64LE(0))).toString('utf8'));
  return JSON.parse(header.__metadata__['convlab.preprocessing']).classes as string[];
}

/** Fashion-MNIST test images first..first+count (of the builtin set's 2,000, none of them trained
 *  on) as 28×28 grey PNGs. */
export function writeTestPngs(dir: string, first: number, count: number): string[] {
  if (first + count > 2000) throw new Error(`the builtin test set has 2,000 images, not ${first + count}`);
  const raw = gunzipSync(readFileSync(join(BUILTIN, 't10k-images-idx3-ubyte.gz')));
  const files: string[] = [];
  for (let i = first; i < first + count; i++) {
    const data = raw.subarray(16 + i * 784, 16 + (i + 1) * 784);
    const path = join(dir, `test-${String(i).padStart(5, '0')}.png`);
    writeFileSync(path, encodePng({ width: 28, height: 28, channels: 1, depth: 8, data: new Uint8Array(data) }));
    files.push(path);
  }
  return files;
}
