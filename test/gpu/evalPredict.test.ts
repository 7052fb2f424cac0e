// `convlab eval` and `convlab predict` on their default backend, the WGSL kernels, as a user runs
// them after `convlab train`: the same answers as PyTorch on the exported weights (the issue's
// 0.2 percentage points and 99.5 %), and as the float64 CPU twin. test/cli/evalPredict.test.ts
// checks the JSON, the messages and the CPU path in detail.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { classesOf, convlab, lastJson, torch, torchAccuracy, writeTestPngs } from '../helpers/evalHarness';
import { noGpu } from './gpuTestContext';

let home: string;
let runId: string;
let weights: string;

beforeAll(() => {
  if (noGpu) return;
  home = mkdtempSync(join(tmpdir(), 'convlab-gpu-evalpredict-'));
  const r = convlab(home, ['train', '--max-steps', '40', '--json']);
  expect(r.code, r.stderr).toBe(0);
  runId = lastJson(r.stdout).run_id;
  weights = join(home, 'best.safetensors');
  const exported = convlab(home, ['runs', 'export', runId, '--format', 'safetensors', '--out', weights]);
  expect(exported.code, exported.stderr).toBe(0);
}, 240_000);

describe('eval and predict on the WebGPU kernels', () => {
  it.skipIf(noGpu)('eval: the accuracy PyTorch computes for the exported weights, within 0.2 points, and the CPU twin\'s', () => {
    const r = convlab(home, ['eval', runId, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const gpu = lastJson(r.stdout);
    expect(gpu).toMatchObject({ run_id: runId, checkpoint: 'best', n: 2000 });
    const confusion = gpu.confusion as number[][];
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(2000);
    expect(gpu.accuracy).toBe(confusion.reduce((a, row, i) => a + row[i]!, 0) / 2000);

    const t = torchAccuracy(weights, 0, 2000);
    expect(Math.abs(t.accuracy - gpu.accuracy)).toBeLessThanOrEqual(0.002);
    const cpu = lastJson(convlab(home, ['eval', runId, '--backend', 'cpu', '--json']).stdout);
    expect(Math.abs(cpu.accuracy - gpu.accuracy)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(cpu.loss - gpu.loss)).toBeLessThanOrEqual(1e-3 * Math.max(1, cpu.loss));
  }, 240_000);

  it.skipIf(noGpu)('predict: PyTorch\'s argmax on at least 99.5 % of 400 PNGs, and the CPU twin\'s logits to float32 rounding', () => {
    const dir = join(home, 'pngs');
    mkdirSync(dir);
    const pngs = writeTestPngs(dir, 1600, 400);
    type Predictions = { predictions: Array<{ file: string; top: Array<{ class: string }>; logits: number[] }> };
    const r = convlab(home, ['predict', runId, dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const gpu = lastJson(r.stdout) as Predictions;
    expect(gpu.predictions.map((p) => p.file)).toEqual(pngs);

    const names = classesOf(weights);
    const t = torch(['argmax', weights, ...pngs]) as { argmax: number[] };
    const agree = t.argmax.filter((c, i) => names[c] === gpu.predictions[i]!.top[0]!.class).length;
    expect(agree / pngs.length).toBeGreaterThanOrEqual(0.995);

    const cpu = lastJson(convlab(home, ['predict', runId, dir, '--backend', 'cpu', '--json']).stdout) as Predictions;
    let worst = 0;
    cpu.predictions.forEach((p, i) => p.logits.forEach((v, k) => {
      worst = Math.max(worst, Math.abs(v - gpu.predictions[i]!.logits[k]!) / Math.max(1, Math.abs(v)));
    }));
    expect(worst).toBeLessThanOrEqual(1e-4);
  }, 240_000);
});
