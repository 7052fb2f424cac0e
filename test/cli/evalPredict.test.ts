// `convlab eval` and `convlab predict` as a user runs them (the real CLI, CPU backend so this tier
// needs no GPU), checked against PyTorch on the exported weights with the preprocessing read only
// from the file's own `convlab.preprocessing` metadata (test/helpers/torch_reference.py).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/main/services/runStore';
import { BUILTIN, classesOf, convlab, lastJson, torch, torchAccuracy, writeTestPngs } from '../helpers/evalHarness';

let home: string;
let runId: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'convlab-evalpredict-'));
  const r = convlab(home, ['train', '--backend', 'cpu', '--max-steps', '40', '--json']);
  expect(r.code, r.stderr).toBe(0);
  runId = lastJson(r.stdout).run_id;
}, 240_000);

describe('convlab eval', () => {
  it('reports the validation split with exactly the documented JSON, which PyTorch reproduces on the exported weights', () => {
    const r = convlab(home, ['eval', runId, '--backend', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const e = lastJson(r.stdout);
    expect(Object.keys(e)).toEqual(['run_id', 'checkpoint', 'dataset', 'n', 'accuracy', 'loss', 'classes', 'per_class', 'confusion']);
    expect(e).toMatchObject({ run_id: runId, checkpoint: 'best', dataset: 'builtin:fashion-mnist-mini', n: 2000 });
    expect(Object.keys(e.per_class[0])).toEqual(['class', 'precision', 'recall', 'f1', 'support']);
    const confusion = e.confusion as number[][];
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(e.n);
    expect(e.accuracy).toBe(confusion.reduce((a, row, i) => a + row[i]!, 0) / e.n);

    const weights = join(home, 'best.safetensors');
    const exported = convlab(home, ['runs', 'export', runId, '--format', 'safetensors', '--out', weights]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/checkpoint best/);
    const t = torchAccuracy(weights, 0, 2000);
    expect(t.n).toBe(2000);
    expect(Math.abs(t.accuracy - e.accuracy)).toBeLessThanOrEqual(0.002);
  }, 240_000);

  it('stores the report with the run and prints the per-class table and the most confused pairs', async () => {
    const r = convlab(home, ['eval', runId, '--backend', 'cpu']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/accuracy \d+\.\d+%\s+loss \d\.\d{4}\s+top-5 \d+\.\d+%/);
    expect(r.stdout).toMatch(/T-shirt\/top\s+\d+\.\d+%/);
    expect(r.stdout).toMatch(/most confused \(true → predicted\):\n {2}\S/);
    const stored = await new RunStore(home).listEvaluations(runId);
    expect(stored.map((s) => s.name)).toContain('builtin-fashion-mnist-mini.validation.best');
  }, 240_000);

  it('evaluates on image files with the same classes, by name, and refuses other classes, missing classes, an unknown checkpoint or run with one line', () => {
    const folder = join(home, 'by-class');
    // Two classes only: the rest are missing, which is a clear message…
    for (const cls of ['Trouser', 'Bag']) mkdirSync(join(folder, cls), { recursive: true });
    writeTestPngs(join(folder, 'Trouser'), 2, 1);
    writeTestPngs(join(folder, 'Bag'), 3, 1);
    const missing = convlab(home, ['eval', runId, '--backend', 'cpu', '--data', folder]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/lacks the model's "T-shirt\/top", "Pullover"/);
    mkdirSync(join(folder, 'Spaceship'));
    writeTestPngs(join(folder, 'Spaceship'), 4, 1);
    expect(convlab(home, ['eval', runId, '--backend', 'cpu', '--data', folder]).stderr).toMatch(/has classes the model does not know: "Spaceship"/);
    expect(convlab(home, ['eval', runId, '--checkpoint', 'epoch-9']).stderr).toMatch(/has no checkpoint 'epoch-9' \(it has: best, last, last-optimizer\)/);
    expect(convlab(home, ['eval', runId, '--checkpoint', 'last-optimizer']).stderr).toMatch(/optimizer-state checkpoint, not weights/);
    expect(convlab(home, ['eval', '20990101-000000-abcdef']).code).toBe(1);
    expect(convlab(home, ['eval']).code).toBe(2);
  }, 240_000);

  it('refuses a checkpoint that does not fit the model, a run without checkpoints and a folder without a readable image, with one line', () => {
    const own = mkdtempSync(join(tmpdir(), 'convlab-evalbad-'));
    const train = (args: string[]) => lastJson(convlab(own, ['train', '--backend', 'cpu', '--max-steps', '1', ...args, '--json']).stdout).run_id as string;
    const reference = train([]);
    const small = train(['--model', 'conv(4,3,p=1) relu maxpool(2) flatten linear(10)']);
    const checkpoints = (id: string) => join(own, 'runs', id, 'checkpoints');
    // Another model's weights under the reference run's best checkpoint.
    copyFileSync(join(checkpoints(small), 'best.safetensors'), join(checkpoints(reference), 'best.safetensors'));
    const misfit = convlab(own, ['eval', reference, '--backend', 'cpu']);
    expect(misfit.code).toBe(1);
    expect(misfit.stderr.trim()).toMatch(/^convlab eval: checkpoint 'best' does not fit the run's model: checkpoint tensor "0\.weight" has shape \[4, 1, 3, 3\] but the model needs \[8, 1, 3, 3\]$/);
    // A run whose checkpoints are gone.
    for (const f of readdirSync(checkpoints(small))) rmSync(join(checkpoints(small), f));
    const png = writeTestPngs(own, 0, 1)[0]!;
    for (const command of [['eval', small], ['predict', small, png]]) {
      const r = convlab(own, [...command, '--backend', 'cpu']);
      expect(r.code, command[0]).toBe(1);
      expect(r.stderr.trim()).toMatch(new RegExp(`^convlab ${command[0]}: Run ${small} has no checkpoints`));
    }
    // Class folders whose only image is cut short: nothing to evaluate, and why.
    copyFileSync(join(checkpoints(reference), 'last.safetensors'), join(checkpoints(reference), 'best.safetensors'));
    const damaged = join(own, 'damaged');
    mkdirSync(join(damaged, 'Trouser'), { recursive: true });
    writeFileSync(join(damaged, 'Trouser', 'cut.png'), readFileSync(png).subarray(0, 60));
    const r = convlab(own, ['eval', reference, '--backend', 'cpu', '--data', damaged]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/holds no readable images in class subfolders \(1 skipped, e\.g\. Trouser\/cut\.png: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 240_000);

  it('evaluates a test set from IDX files, matching labels by index and saying so', () => {
    const r = convlab(home, ['eval', runId, '--backend', 'cpu', '--data', join(BUILTIN, 't10k-images-idx3-ubyte.gz'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout).n).toBe(2000);
    const told = convlab(home, ['eval', runId, '--backend', 'cpu', '--data', join(BUILTIN, 't10k-images-idx3-ubyte.gz')]);
    expect(told.stderr).toMatch(/IDX files name no classes: label i is taken as the model's class i/);
  }, 240_000);
});

describe('convlab predict', () => {
  it('agrees with PyTorch on PNGs of Fashion-MNIST test images, and skips what is not an image', () => {
    const dir = join(home, 'pngs');
    mkdirSync(dir);
    const pngs = writeTestPngs(dir, 1600, 400);
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    writeFileSync(join(dir, 'broken.png'), readFileSync(pngs[0]!).subarray(0, 60));
    const r = convlab(home, ['predict', runId, dir, '--backend', 'cpu', '--top', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout) as { run_id: string; checkpoint: string; predictions: Array<{ file: string; top: Array<{ class: string; probability: number }> }>; skipped: Array<{ file: string; reason: string }> };
    expect(Object.keys(out)).toEqual(['run_id', 'checkpoint', 'classes', 'predictions', 'skipped']);
    expect(Object.keys(out.predictions[0]!)).toEqual(['file', 'top', 'logits']);
    expect(out.checkpoint).toBe('best');
    expect(out.predictions.map((p) => p.file)).toEqual(pngs);
    expect(out.predictions[0]!.top).toHaveLength(2);
    expect(out.skipped.map((s) => s.file).sort()).toEqual([join(dir, 'broken.png'), join(dir, 'notes.txt')]);
    expect(out.skipped.find((s) => s.file.endsWith('broken.png'))!.reason).toMatch(/truncated|corrupt/i);

    const weights = join(home, 'predict.safetensors');
    expect(convlab(home, ['runs', 'export', runId, '--format', 'safetensors', '--out', weights]).code).toBe(0);
    const names = classesOf(weights);
    const t = torch(['argmax', weights, ...pngs]) as { argmax: number[] };
    const agree = t.argmax.filter((c, i) => names[c] === out.predictions[i]!.top[0]!.class).length;
    expect(agree / pngs.length).toBeGreaterThanOrEqual(0.995);
  }, 240_000);

  it('writes a CSV with one probability column per class, and refuses to replace it', () => {
    const dir = join(home, 'few');
    mkdirSync(dir);
    writeTestPngs(dir, 0, 3);
    const csv = join(home, 'predictions.csv');
    const r = convlab(home, ['predict', runId, dir, '--backend', 'cpu', '--csv', csv]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('file,predicted,probability,T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot');
    expect(lines).toHaveLength(4);
    const probabilities = lines[1]!.split(',').slice(3).map(Number);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(convlab(home, ['predict', runId, dir, '--csv', csv]).stderr).toMatch(/already exists; choose another file or pass --force/);
  }, 240_000);

  it('refuses an empty folder, a missing file and no input with one line, writing nothing', () => {
    const empty = join(home, 'empty');
    mkdirSync(empty);
    const r = convlab(home, ['predict', runId, empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no image could be read/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(convlab(home, ['predict', runId, join(home, 'nope.png')]).stderr).toMatch(/no such file or folder/);
    expect(convlab(home, ['predict', runId]).code).toBe(2);
  }, 240_000);
});
