// `convlab inspect` as a user runs it (the real CLI, CPU backend), against PyTorch: for every
// module of the reference model (trained), of a model with BatchNorm, stride-2 convs, a residual
// block and dropout, and of an RGB model with padding modes, groups, dilation and the other
// layer types (random weights and running statistics), `--layer I --json` is the output of the
// same module of the equivalent nn.Sequential for the same image within 1e-4 relative, and
// `--grad` is torch.autograd.grad within 1e-3 (test/helpers/torch_inspect.py). Then --out, and
// the bad inputs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { parseText } from '../../src/engine/model/parseText';
import type { ModelSpec } from '../../src/engine/model/spec';
import { Sequential } from '../../src/engine/nn/sequential';
import { readStateDict } from '../../src/engine/nn/stateDict';
import { RunStore } from '../../src/main/services/runStore';
import { runModelSpec } from '../../src/main/services/runs/runModel';
import { Random } from '../../src/shared/random';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'convlab.mjs');
const PYTHON = '/usr/bin/python3';
const HELPER = join(root, 'test', 'helpers', 'torch_inspect.py');
const BUILTIN = join(root, 'data', 'fashion-mnist-mini');
const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

function convlab(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args, '--home', home], { cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CONVLAB_CLI: 'source', CONVLAB_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (text: string) => JSON.parse(text.trim().split('\n').pop()!);

interface TorchTensor { shape: number[]; data: number[]; grad: number[] | null }
interface TorchResult { input: TorchTensor; modules: Record<string, TorchTensor> }

function torch(spec: ModelSpec, weights: string, png: string, target: string): TorchResult {
  const specFile = join(home, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(specFile, JSON.stringify(spec));
  const r = spawnSync(PYTHON, [HELPER, specFile, weights, png, target], { encoding: 'utf8', timeout: 240_000, maxBuffer: 1 << 28 });
  // .ci/run installs python3-torch: a missing torch is a broken setup there, never a skip.
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as TorchResult;
}

/** max |got − want| / max |want|: relative to the tensor's own scale, so values near 0 count. */
function relativeError(got: number[], want: number[]): number {
  expect(got).toHaveLength(want.length);
  const scale = Math.max(1e-12, ...want.map(Math.abs));
  return Math.max(0, ...got.map((v, i) => Math.abs(v - want[i]!))) / scale;
}

let home: string;

function fashionPng(dir: string, index: number): string {
  const raw = gunzipSync(readFileSync(join(BUILTIN, 't10k-images-idx3-ubyte.gz')));
  const label = gunzipSync(readFileSync(join(BUILTIN, 't10k-labels-idx1-ubyte.gz')))[8 + index]!;
  const folder = join(dir, FASHION_CLASSES[label]!.replace('/', '-'));
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `test-${index}.png`);
  writeFileSync(path, encodePng({ width: 28, height: 28, channels: 1, depth: 8, data: new Uint8Array(raw.subarray(16 + index * 784, 16 + (index + 1) * 784)) }));
  return path;
}

/** A run with random weights and BatchNorm statistics (nothing at an identity value). */
async function syntheticRun(text: string, input: [number, number, number], classes: string[], seed: number): Promise<string> {
  const spec = parseText(text, input);
  const rng = new Random(seed);
  const be = new CpuBackend();
  const state = (await readStateDict(new Sequential(spec, be, seed), be)).map((t) => ({
    ...t, data: t.name.endsWith('running_var') ? t.data.map(() => 0.5 + rng.nextFloat()) : t.name.endsWith('num_batches_tracked') ? t.data : t.data.map(() => rng.nextFloat() - 0.5),
  }));
  const preprocessing = { input, fit: 'resize' as const, mean: input[0] === 1 ? [0.29] : [0.5, 0.45, 0.4], std: input[0] === 1 ? [0.35] : [0.25, 0.24, 0.26], classes };
  const writer = await new RunStore(home).create({ config: { train: { spec } }, modelSpec: text, dataset: { id: 'ds-20261206-000000-0000' }, seed, preprocessing });
  await writer.saveCheckpoint('best', state);
  await writer.finish('completed');
  return writer.id;
}

const models: Array<{ name: string; id: string; png: string; classes: string[] }> = [];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'convlab-inspect-'));
  const trained = convlab(['train', '--backend', 'cpu', '--max-steps', '20', '--json']);
  expect(trained.code, trained.stderr).toBe(0);
  const images = join(home, 'images');
  models.push({ name: 'the reference model (trained)', id: lastJson(trained.stdout).run_id, png: fashionPng(images, 0), classes: FASHION_CLASSES });
  const bn = await syntheticRun('conv(8,3,s=2,p=1,bias=false) bn relu res(conv(8,3,p=1,bias=false) bn relu conv(8,3,p=1) bn) relu conv(16,3,s=2,p=1) bn relu dropout(0.3) flatten linear(10)', [1, 28, 28], FASHION_CLASSES, 5);
  models.push({ name: 'BatchNorm, stride-2 convs, a residual block', id: bn, png: fashionPng(images, 1), classes: FASHION_CLASSES });
  const rgb = await syntheticRun(
    'conv(6,3,p=1,pm=reflect) bn lrelu(0.2) conv(6,3x2,s=2,p=1,g=2,pm=circular) gelu maxpool(2,s=1,p=1) conv(8,2,d=2,p=same,pm=replicate) tanh avgpool(2,s=1) silu res(conv(8,1) sigmoid ; conv(8,1,bias=false) bn) gap flatten linear(4)',
    [3, 12, 12], ['a', 'b', 'c', 'd'], 7);
  const rgbPng = join(images, 'rgb.png');
  const rng = new Random(11);
  writeFileSync(rgbPng, encodePng({ width: 12, height: 12, channels: 3, depth: 8, data: Uint8Array.from({ length: 432 }, () => Math.floor(rng.nextFloat() * 256)) }));
  models.push({ name: 'RGB: padding modes, groups, dilation, pools, smooth activations, a projection block', id: rgb, png: rgbPng, classes: ['a', 'b', 'c', 'd'] });
}, 240_000);

describe('convlab inspect against PyTorch', () => {
  it.each([0, 1, 2])('model %i: --layer I --json --grad CLASS is every module\'s output and gradient', async (k) => {
    const m = models[k]!;
    const spec = runModelSpec(await new RunStore(home).get(m.id));
    const weights = join(home, `${m.id}.safetensors`);
    expect(convlab(['runs', 'export', m.id, '--format', 'safetensors', '--out', weights]).code).toBe(0);
    const cls = 2;
    const want = torch(spec, weights, m.png, `class:${cls}`);
    const paths = Object.keys(want.modules);
    expect(paths.length).toBeGreaterThanOrEqual(8);
    for (const path of paths) {
      const r = convlab(['inspect', m.id, m.png, '--layer', path, '--json', '--grad', m.classes[cls]!, '--backend', 'cpu']);
      expect(r.code, r.stderr).toBe(0);
      const got = lastJson(r.stdout);
      expect(Object.keys(got)).toEqual(['run_id', 'checkpoint', 'layer', 'type', 'shape', 'data', 'grad']);
      expect(got).toMatchObject({ run_id: m.id, checkpoint: 'best', layer: /^\d+$/.test(path) ? Number(path) : path, shape: want.modules[path]!.shape });
      expect(relativeError(got.data, want.modules[path]!.data), `${m.name}, module ${path} (${got.type}) output`).toBeLessThan(1e-4);
      expect(relativeError(got.grad, want.modules[path]!.grad!), `${m.name}, module ${path} (${got.type}) gradient`).toBeLessThan(1e-3);
    }
  }, 240_000);

  it('--grad true is the gradient of the loss for the class the image\'s folder names, --grad with an index is that class', async () => {
    const m = models[0]!;
    const spec = runModelSpec(await new RunStore(home).get(m.id));
    const weights = join(home, 'reference.safetensors');
    expect(convlab(['runs', 'export', m.id, '--format', 'safetensors', '--out', weights]).code).toBe(0);
    const label = FASHION_CLASSES.indexOf('Ankle boot');
    expect(m.png).toMatch(/Ankle boot/);
    const loss = torch(spec, weights, m.png, `loss:${label}`);
    const byLoss = lastJson(convlab(['inspect', m.id, m.png, '--layer', '3', '--json', '--grad', 'true', '--backend', 'cpu']).stdout);
    expect(relativeError(byLoss.grad, loss.modules['3']!.grad!)).toBeLessThan(1e-3);
    const byIndex = lastJson(convlab(['inspect', m.id, m.png, '--layer', '0', '--json', '--grad', '2', '--backend', 'cpu']).stdout);
    const byName = lastJson(convlab(['inspect', m.id, m.png, '--layer', '0', '--json', '--grad', 'Pullover', '--backend', 'cpu']).stdout);
    expect(byIndex.grad).toEqual(byName.grad);
    const plain = lastJson(convlab(['inspect', m.id, m.png, '--layer', '0', '--json', '--backend', 'cpu']).stdout);
    expect(Object.keys(plain)).toEqual(['run_id', 'checkpoint', 'layer', 'type', 'shape', 'data']);
  }, 240_000);
});

describe('convlab inspect', () => {
  it('--out writes every layer as PNG, the filters, input and saliency, and index.json; a non-empty folder needs --force', () => {
    const m = models[1]!;
    const out = join(home, 'out');
    const r = convlab(['inspect', m.id, m.png, '--grad', '3', '--out', out, '--backend', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = lastJson(r.stdout);
    expect(summary.top).toHaveLength(5);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    expect(index.format).toBe('convlab-inspect/1');
    expect(index.layers.map((l: { layer: unknown }) => l.layer)).toEqual(summary.layers.map((l: { layer: unknown }) => l.layer));
    expect(index.layers.map((l: { layer: unknown }) => l.layer)).toContain('3.body.0');
    for (const layer of index.layers) {
      const png = decodePng(readFileSync(join(out, layer.image)));
      expect(png.width).toBeGreaterThan(0);
      if (layer.type === 'conv2d') {
        expect(existsSync(join(out, layer.filters))).toBe(true);
        expect(layer.filter_stats).toHaveLength(layer.shape[0]);
        expect(Math.max(...layer.filter_stats.map((f: { grad_norm: number }) => f.grad_norm))).toBeGreaterThan(0);
      }
    }
    const first = index.layers[0];
    // 8 maps of 14×14, zoomed 4×, in a 3×3 grid with 1-pixel gaps.
    expect(first.grid).toEqual({ columns: 3, zoom: 4, tile: [14, 14], scale: 'shared' });
    expect(decodePng(readFileSync(join(out, first.image))).width).toBe(3 * 56 + 2);
    expect(decodePng(readFileSync(join(out, 'saliency.png'))).width).toBe(28 * 4);
    const again = convlab(['inspect', m.id, m.png, '--out', out, '--backend', 'cpu']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty; choose a new folder for --out or pass --force/);
  }, 240_000);

  it('refuses a layer out of range, an undecodable image and a run without checkpoints or preprocessing with one line', async () => {
    const m = models[0]!;
    const oneLine = (r: { code: number | null; stderr: string }, code: number, pattern: RegExp) => {
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('convlab: ') || l.startsWith('convlab inspect'))).toHaveLength(1);
    };
    oneLine(convlab(['inspect', m.id, m.png, '--layer', '8', '--backend', 'cpu']), 1, /layer 8 is out of range: the model's modules are 0 to 7/);
    oneLine(convlab(['inspect', m.id, m.png, '--layer', 'x1']), 2, /--layer must be a module index such as 3/);
    oneLine(convlab(['inspect', m.id, m.png, '--grad', 'Spaceship']), 2, /--grad "Spaceship" is neither true nor one of the model's classes/);
    const broken = join(home, 'broken.png');
    writeFileSync(broken, readFileSync(m.png).subarray(0, 50));
    oneLine(convlab(['inspect', m.id, broken, '--backend', 'cpu']), 1, /cannot read .*broken\.png: .*(truncated|corrupt)/i);
    oneLine(convlab(['inspect', m.id, join(home, 'nope.png')]), 1, /no such image file/);
    oneLine(convlab(['inspect', m.id, models[2]!.png, '--grad', 'true', '--backend', 'cpu']), 1, /--grad true takes the image's true class from the folder it is in, and "images" is not one of the model's classes/);

    const store = new RunStore(home);
    const empty = await store.create({ config: { train: { spec: parseText('conv(2,3) flatten linear(2)', [1, 28, 28]) } }, modelSpec: 'x', dataset: { id: 'ds-20261206-000000-0000' }, seed: 1 });
    await empty.finish('failed');
    oneLine(convlab(['inspect', empty.id, m.png]), 1, /has no checkpoints/);
    const spec = parseText('conv(2,3) flatten linear(2)', [1, 28, 28]);
    const bare = await store.create({ config: { train: { spec } }, modelSpec: 'x', dataset: { id: 'ds-20261206-000000-0000' }, seed: 1 });
    await bare.saveCheckpoint('best', await readStateDict(new Sequential(spec, new CpuBackend(), 1), new CpuBackend()));
    await bare.finish('completed');
    oneLine(convlab(['inspect', bare.id, m.png]), 1, /does not record its preprocessing .* so its inputs cannot be prepared/);
    expect(convlab(['inspect', m.id]).code).toBe(2);
  }, 240_000);

  it('is listed by convlab help and answers --help with its usage', () => {
    expect(convlab(['help']).stdout).toMatch(/^ {2}inspect\s+one image through a run's model/m);
    const help = convlab(['inspect', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: convlab inspect RUN IMAGE \[--checkpoint NAME\] \[--layer I\] \[--grad CLASS\|true\] \[--out DIR\] \[--json\]/);
  });
});
