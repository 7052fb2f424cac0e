// `convlab runs export --format onnx` on a run trained by `convlab train`: the file loads in
// onnxruntime and gives the same logits as the engine with the run's checkpoint.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { predict } from '../../src/engine/train/predict';
import { runModelSpec } from '../../src/main/services/runs/runModel';
import { RunStore } from '../../src/main/services/runStore';
import { toFloat32 } from '../../src/shared/formats/safetensors';
import { randomArray } from '../helpers/random';

const root = join(__dirname, '..', '..');
const cli = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'convlab.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CONVLAB_CLI: 'source' } });

describe('convlab runs export --format onnx', () => {
  it('exports a trained run that onnxruntime runs with the engine\'s results', async () => {
    const home = mkdtempSync(join(tmpdir(), 'convlab-onnx-'));
    const trained = cli(['train', '--backend', 'cpu', '--home', home, '--max-steps', '3', '--batch', '16', '--json']);
    expect(trained.status, trained.stderr).toBe(0);
    const runId = JSON.parse(trained.stdout.trim().split('\n').pop()!).run_id as string;
    const out = join(home, 'model.onnx');
    const exported = cli(['runs', 'export', runId, '--format', 'onnx', '--out', out, '--home', home]);
    expect(exported.status, exported.stderr).toBe(0);

    const store = new RunStore(home);
    const manifest = await store.get(runId);
    const spec = runModelSpec(manifest);
    const checkpoint = await store.readCheckpoint(runId, manifest.summary!.lastCheckpoint as string);
    const weights = [...checkpoint.tensors].map(([name, t]) => ({ name, shape: t.shape, data: toFloat32(t) }));
    const x = Float32Array.from(randomArray(2 * 28 * 28, 3));
    const expected = await predict(new CpuBackend(), spec, weights, x, 2);

    const session = await ort.InferenceSession.create(readFileSync(out));
    const got = (await session.run({ input: new ort.Tensor('float32', x, [2, 1, 28, 28]) })).logits!.data as Float32Array;
    expect(got).toHaveLength(20);
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - expected[i]!)).toBeLessThan(1e-4);
  }, 240_000);
});
