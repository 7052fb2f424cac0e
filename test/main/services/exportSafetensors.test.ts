// A checkpoint exported as safetensors loads into the equivalent PyTorch nn.Sequential with
// load_state_dict(strict=True), read by a hand-written reader (struct + json + torch.frombuffer):
// the names and shapes must be exactly PyTorch's, or strict loading fails.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLabService } from '../../../src/main/services/labService';
import { RunStore } from '../../../src/main/services/runStore';
import { checkpointBytes } from '../../../src/main/services/runs/exportSafetensors';
import { defaultCheckpoint } from '../../../src/main/services/runs/runModel';
import { readSafetensors, toFloat32, type Float32TensorInput } from '../../../src/shared/formats/safetensors';
import { makeRun } from './helpers/labFixtures';

const PYTHON = '/usr/bin/python3';

function hasTorch(): boolean {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0;
}

/** conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(10) on 1×28×28. */
function referenceTensors(): Float32TensorInput[] {
  const t = (name: string, shape: number[]): Float32TensorInput => {
    const n = shape.reduce((a, b) => a * b, 1);
    // Distinct, position-dependent values so a transposed or shifted tensor would be caught.
    const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + name.length) * 0.5);
    return { name, shape, data };
  };
  return [t('0.weight', [8, 1, 3, 3]), t('0.bias', [8]), t('3.weight', [16, 8, 3, 3]), t('3.bias', [16]), t('7.weight', [10, 784]), t('7.bias', [10])];
}

const READER = String.raw`
import json, struct, sys, torch
path = sys.argv[1]
with open(path, 'rb') as f:
    raw = f.read()
(n,) = struct.unpack('<Q', raw[:8])
header = json.loads(raw[8:8 + n].decode('utf-8'))
data = raw[8 + n:]
state = {}
for name, entry in header.items():
    if name == '__metadata__':
        continue
    assert entry['dtype'] == 'F32', entry['dtype']
    begin, end = entry['data_offsets']
    state[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry['shape'])
model = torch.nn.Sequential(
    torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Flatten(), torch.nn.Linear(784, 10))
model.load_state_dict(state, strict=True)
out = model(torch.zeros(2, 1, 28, 28))
print(json.dumps({'names': sorted(state), 'bias7': model[7].bias.tolist(), 'w0': model[0].weight.flatten()[:3].tolist(), 'out': list(out.shape)}))
`;

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'convlab-export-st-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('safetensors export', () => {
  it('picks "best", else "last", else the newest weights, and refuses a run without any', async () => {
    const tensors = [{ name: 'w', shape: [1], data: new Float32Array([1]) }];
    const store = new RunStore(home);
    const withBest = await makeRun(home, { checkpoints: { 'epoch-1': tensors, best: tensors, last: tensors, 'last-optimizer': tensors } });
    expect(await defaultCheckpoint(store, withBest.id)).toBe('best');
    const withLast = await makeRun(home, { checkpoints: { 'epoch-1': tensors, last: tensors } });
    expect(await defaultCheckpoint(store, withLast.id)).toBe('last');
    const onlyOptimizer = await makeRun(home, { checkpoints: { 'last-optimizer': tensors } });
    await expect(defaultCheckpoint(store, onlyOptimizer.id)).rejects.toThrow(/only optimizer-state checkpoints/);
    const none = await makeRun(home);
    await expect(defaultCheckpoint(store, none.id)).rejects.toThrow(/no checkpoints/);
    await expect(checkpointBytes(store, withLast.id, 'epoch-9')).rejects.toThrow(/no checkpoint 'epoch-9' \(it has: epoch-1, last\)/);
  });

  it('adds the preprocessing to an older checkpoint from its dataset, and copies a new one byte for byte', async () => {
    const tensors = referenceTensors();
    const store = new RunStore(home);
    const spec = { format: 'convlab-model/1', input: [1, 28, 28], layers: [{ type: 'flatten' }, { type: 'linear', out_features: 10, bias: true }] };
    // An older run: no preprocessing recorded, trained on the builtin set.
    const old = await makeRun(home, { config: { train: { spec } }, checkpoints: { last: tensors } });
    const out = join(home, 'old.safetensors');
    const result = await createLabService({ home }).runs.export(old.id, { format: 'safetensors', path: out });
    expect(result).toMatchObject({ checkpoint: 'last' });
    const meta = readSafetensors(new Uint8Array(await readFile(out))).metadata;
    expect(JSON.parse(meta['convlab.preprocessing']!)).toMatchObject({ input: [1, 28, 28], fit: 'resize', classes: expect.arrayContaining(['Sneaker']) });
    // A run whose checkpoint carries it: exported as stored.
    const writer = await store.open(old.id);
    await writer.saveCheckpoint('best', tensors, { 'convlab.preprocessing': meta['convlab.preprocessing']! });
    await writer.finish('completed');
    const again = join(home, 'new.safetensors');
    expect(await createLabService({ home }).runs.export(old.id, { format: 'safetensors', path: again })).toMatchObject({ checkpoint: 'best' });
    expect(Buffer.compare(await readFile(again), await readFile(join(home, 'runs', old.id, 'checkpoints', 'best.safetensors')))).toBe(0);
  });

  it('refuses a damaged checkpoint instead of copying it', async () => {
    const run = await makeRun(home, { checkpoints: { last: [{ name: 'w', shape: [1], data: new Float32Array([1]) }] } });
    await writeFile(join(home, 'runs', run.id, 'checkpoints', 'last.safetensors'), Buffer.from([200, 0, 0, 0, 0, 0, 0, 0, 123]));
    await expect(checkpointBytes(new RunStore(home), run.id)).rejects.toThrow(/damaged/);
  });

  it('writes a file that PyTorch loads into the reference nn.Sequential with strict=True', async () => {
    const tensors = referenceTensors();
    const run = await makeRun(home, { checkpoints: { last: tensors } });
    const out = join(home, 'model.safetensors');
    await createLabService({ home }).runs.export(run.id, { format: 'safetensors', path: out });

    const back = readSafetensors(new Uint8Array(await readFile(out)));
    expect([...back.tensors.keys()]).toEqual(tensors.map((t) => t.name));
    expect(toFloat32(back.tensors.get('7.weight')!)).toEqual(tensors[4].data);

    if (!hasTorch()) {
      // .ci/run installs python3-torch: there a missing torch is a broken setup, not a skip.
      if (process.env.CI) throw new Error(`${PYTHON} has no torch, but CI installs python3-torch`);
      console.warn(`SKIPPED the PyTorch load: ${PYTHON} has no torch (install python3-torch or pip install torch to run it)`);
      return;
    }
    const r = spawnSync(PYTHON, ['-c', READER, out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { names: string[]; bias7: number[]; w0: number[]; out: number[] };
    expect(got.names).toEqual(['0.bias', '0.weight', '3.bias', '3.weight', '7.bias', '7.weight']);
    expect(got.out).toEqual([2, 10]);
    got.bias7.forEach((v, i) => expect(v).toBeCloseTo(tensors[5].data[i], 6));
    got.w0.forEach((v, i) => expect(v).toBeCloseTo(tensors[0].data[i], 6));
  });
});
