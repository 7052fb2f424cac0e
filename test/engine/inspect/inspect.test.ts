// Inspection on the float64 CPU twins: every module's own output (the ReLU before a max pool
// too), the same logits as the plain evaluation forward, and gradients of a class score and of
// the loss that agree with central finite differences — through strided, dilated, grouped and
// padded convs, eval-mode batch norm, pools, residual blocks, dropout and linear layers.

import { describe, expect, it } from 'vitest';
import { Tape } from '../../../src/engine/autograd/tape';
import { Tensor } from '../../../src/engine/autograd/tensor';
import { inspect } from '../../../src/engine/inspect/inspect';
import { findModule } from '../../../src/engine/inspect/modulePath';
import type { GradTarget, Inspection } from '../../../src/engine/inspect/types';
import { cpuFixture, type CpuFixture } from './fixture';

const MODELS = [
  ['the reference CNN', 'conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(10)', [1, 12, 12]],
  ['BN and stride-2 convs', 'conv(6,3,s=2,p=1,bias=false) bn relu conv(8,3,s=2,p=1) bn relu avgpool(2) flatten dropout(0.5) linear(5)', [3, 13, 11]],
  ['dilated, grouped, non-square, padding modes', 'conv(4,3x2,p=2x1,d=2,pm=reflect) tanh conv(6,3,s=2x1,p=1,g=2,pm=circular) lrelu(0.1) conv(6,2,p=same,pm=replicate) gelu flatten linear(4)', [2, 9, 8]],
  ['residual blocks', 'conv(4,3,p=1) bn relu res(conv(4,3,p=1,bias=false) bn relu conv(4,3,p=1) bn) relu res(conv(6,3,s=2,p=1) bn relu ; conv(6,1,s=2) bn) gap flatten linear(3)', [1, 8, 8]],
] as const;

/** The normalised input as the inspection saw it, run through the plain (fused, uncaptured)
 *  evaluation forward: the logits, and a scalar of them. */
function plainForward(f: CpuFixture, x: Float64Array, shape: number[]): Float64Array {
  const tape = new Tape(f.be, false);
  const out = f.model.forward(new Tensor(Float64Array.from(x), shape, false), { be: f.be, tape, training: false, stepSeed: 0 });
  const logits = Float64Array.from(out.data);
  tape.reset();
  return logits;
}

function objective(logits: Float64Array, classes: number, target: GradTarget): number {
  let total = 0;
  const n = logits.length / classes;
  for (let i = 0; i < n; i++) {
    const row = logits.subarray(i * classes, (i + 1) * classes);
    if (target.kind === 'class') total += row[target.classes[i]!]!;
    else {
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
      total += lse - row[target.labels[i]!]!;
    }
  }
  return total;
}

function gradientError(f: CpuFixture, got: Inspection, target: GradTarget): { worst: number; where: string } {
  const x = got.input.data;
  const classes = got.logits.length / got.count;
  const h = 1e-6;
  let worst = 0;
  let where = '';
  for (let k = 0; k < x.length; k++) {
    const up = Float64Array.from(x);
    up[k]! += h;
    const down = Float64Array.from(x);
    down[k]! -= h;
    const numeric = (objective(plainForward(f, up, got.input.shape), classes, target) - objective(plainForward(f, down, got.input.shape), classes, target)) / (2 * h);
    const analytic = got.input.grad![k]!;
    const rel = Math.abs(analytic - numeric) / (1e-4 + Math.abs(numeric));
    if (rel > worst) {
      worst = rel;
      where = `input[${k}]: analytic ${analytic}, numeric ${numeric}`;
    }
  }
  return { worst, where };
}

describe('inspect (CPU twins)', () => {
  it.each(MODELS)('%s: every module output, and the logits of the plain forward', async (_name, text, input) => {
    const f = cpuFixture(text, [...input], 2);
    const got = await inspect(f.be, f.model, f.source, 2, null);
    expect(got.input.grad).toBeNull();
    expect(got.modules.map((m) => m.path)).toEqual(expectedPaths(f));
    const plain = plainForward(f, got.input.data, got.input.shape);
    expect(Array.from(got.logits)).toEqual(Array.from(plain));
    // Each module's output is its own function of the output it says it reads.
    for (const m of got.modules) {
      const from = m.input === 'input' ? got.input : findModule(got, m.input).output;
      if (m.type === 'relu') expect(Array.from(m.output.data)).toEqual(Array.from(from.data, (v) => Math.max(0, v)));
      if (m.type === 'flatten' || m.type === 'dropout') expect(Array.from(m.output.data)).toEqual(Array.from(from.data));
      if (m.type === 'residual') {
        const last = (branch: string) => got.modules.filter((n) => n.path.startsWith(`${m.path}.${branch}.`) && !n.path.slice(m.path.length + branch.length + 2).includes('.')).at(-1);
        const body = last('body')!.output.data;
        const shortcut = (last('shortcut')?.output ?? from).data;
        expect(Array.from(m.output.data)).toEqual(Array.from(body, (v, i) => v + shortcut[i]!));
      }
    }
  });

  it('keeps the ReLU before a max pool as its own output, and the pool is the fused pair\'s', async () => {
    const f = cpuFixture(MODELS[0][1], [1, 12, 12], 1);
    const got = await inspect(f.be, f.model, f.source, 1, null);
    const conv = findModule(got, '0').output.data;
    const relu = findModule(got, '1');
    const pool = findModule(got, '2');
    expect(relu.output.shape).toEqual([1, 8, 12, 12]);
    expect(relu.output.data.some((v, i) => v !== conv[i])).toBe(true);
    expect(pool.output.shape).toEqual([1, 8, 6, 6]);
    // max pool 2 of the ReLU output, by hand
    const h = 12;
    for (let c = 0; c < 8; c++) {
      for (let y = 0; y < 6; y++) {
        for (let x = 0; x < 6; x++) {
          const at = (dy: number, dx: number) => relu.output.data[c * h * h + (2 * y + dy) * h + 2 * x + dx]!;
          expect(pool.output.data[(c * 6 + y) * 6 + x]).toBe(Math.max(at(0, 0), at(0, 1), at(1, 0), at(1, 1)));
        }
      }
    }
  });

  it.each(MODELS)('%s: d class score / d input matches central differences', async (_name, text, input) => {
    const f = cpuFixture(text, [...input], 2);
    const target: GradTarget = { kind: 'class', classes: [1, 2] };
    const got = await inspect(f.be, f.model, f.source, 2, target);
    const { worst, where } = gradientError(f, got, target);
    expect(worst, where).toBeLessThan(1e-5);
    // The last module's gradient is the seed itself.
    const classes = got.logits.length / 2;
    const seed = got.modules.at(-1)!.output.grad!;
    expect(Array.from(seed)).toEqual(Array.from({ length: 2 * classes }, (_, i) => (i === 1 || i === classes + 2 ? 1 : 0)));
  });

  it('d loss / d input for the true labels matches central differences, per image', async () => {
    const f = cpuFixture(MODELS[1][1], [3, 13, 11], 3);
    const target: GradTarget = { kind: 'loss', labels: [4, 0, 2] };
    const got = await inspect(f.be, f.model, f.source, 3, target);
    const { worst, where } = gradientError(f, got, target);
    expect(worst, where).toBeLessThan(1e-5);
  });

  it('refuses a class the model does not have and a target for the wrong number of images', async () => {
    const f = cpuFixture(MODELS[0][1], [1, 12, 12], 1);
    await expect(inspect(f.be, f.model, f.source, 1, { kind: 'class', classes: [10] })).rejects.toThrow(/class 10 of image 0 is not below the model's 10 classes/);
    await expect(inspect(f.be, f.model, f.source, 1, { kind: 'class', classes: [1, 2] })).rejects.toThrow(/names 2 classes for 1 images/);
    const got = await inspect(f.be, f.model, f.source, 1, null);
    expect(() => findModule(got, '9')).toThrow(/layer 9 is out of range: the model's modules are 0 to 7/);
  });
});

/** Every leaf and block path in execution order (a block after its branches). */
function expectedPaths(f: CpuFixture): string[] {
  const out: string[] = [];
  const walk = (layers: typeof f.model.layers): void => {
    for (const l of layers) {
      if (l.type === 'residual') {
        const block = l as unknown as { body: typeof layers; shortcut: typeof layers | null };
        walk(block.body);
        if (block.shortcut) walk(block.shortcut);
      }
      out.push(l.path);
    }
  };
  walk(f.model.layers);
  return out;
}
