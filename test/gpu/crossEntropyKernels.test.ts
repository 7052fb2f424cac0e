// cross_entropy.wgsl (all four entry points) against its float64 CPU twin and PyTorch's
// cross_entropy.json.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { ROW_PER_LANE_MAX_CLASSES } from '../../src/engine/webgpu/ops/crossEntropy';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { compareTensor, parseCaseFile, type CrossEntropyCase } from '../../src/shared/cases';
import { maxAbsDiff, randomArray, seeded } from '../helpers/random';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

const cpu = new CpuBackend();
let ctx: GpuContext | null = null;
let gpu: WebGpuBackend;

beforeAll(async () => {
  ctx = await gpuContext();
  if (ctx) gpu = new WebGpuBackend(ctx);
});

async function runGpu(n: number, classes: number, logits: ArrayLike<number>, targets: ArrayLike<number>, smoothing = 0) {
  const loss = gpu.alloc(1, 'loss'), dLogits = gpu.alloc(n * classes, 'dLogits'), correct = gpu.alloc(1, 'correct');
  gpu.crossEntropy(n, classes, gpu.upload(logits, 'logits'), gpu.upload(targets, 'targets'), loss, dLogits, correct, smoothing);
  return { loss: (await gpu.read(loss))[0]!, dLogits: await gpu.read(dLogits), correct: (await gpu.read(correct))[0]! };
}

// Both row passes: one lane per row up to ROW_PER_LANE_MAX_CLASSES classes, a workgroup per
// row above; and both means: one lane up to SERIAL_FINISH_MAX_ROWS rows, a tree above.
const FEW = ROW_PER_LANE_MAX_CLASSES, MANY = ROW_PER_LANE_MAX_CLASSES + 6;

function cpuCrossEntropy(n: number, classes: number, logits: Float64Array, targets: Float64Array, smoothing = 0) {
  const loss = cpu.alloc(1), dLogits = cpu.alloc(n * classes), correct = cpu.alloc(1);
  cpu.crossEntropy(n, classes, logits, targets, loss, dLogits, correct, smoothing);
  return { loss: loss[0]!, dLogits, correct: correct[0]! };
}

describe('cross-entropy kernel', () => {
  // Batches of 70 and 300 are not multiples of the 64 rows a row-per-lane workgroup takes;
  // 300 rows take the tree mean; 64 classes is the largest row-per-lane count, 70 the smallest
  // over it and more than the 64 lanes of a row's workgroup.
  it.skipIf(noGpu).each([[4, 3], [70, 10], [64, FEW], [300, 10], [3, 100], [70, MANY], [300, MANY]])('n=%i classes=%i against the CPU twin', async (n, classes) => {
    requireGpu(ctx);
    const logits = randomArray(n * classes, n + classes, 4);
    const next = seeded(n * classes);
    const targets = Float64Array.from({ length: n }, () => Math.floor(next() * classes));
    // Make some rows right, so correct is neither 0 nor n.
    for (let r = 0; r < n; r += 2) logits[r * classes + targets[r]!] = 20;
    const want = cpuCrossEntropy(n, classes, logits, targets);
    const got = await runGpu(n, classes, logits, targets);
    expect(Math.abs(got.loss - want.loss)).toBeLessThan(1e-4 * Math.max(1, want.loss));
    expect(maxAbsDiff(got.dLogits, want.dLogits)).toBeLessThan(1e-6);
    expect(got.correct).toBe(want.correct);
  });

  // label_smoothing on both row passes (the workgroup path reduces Σ x in a second tree).
  it.skipIf(noGpu).each([[70, 10, 0.1], [3, MANY, 0.25], [300, MANY, 1]])('n=%i classes=%i label_smoothing=%s against the CPU twin', async (n, classes, eps) => {
    requireGpu(ctx);
    const logits = randomArray(n * classes, 3 * n + classes, 4);
    const targets = Float64Array.from({ length: n }, (_, r) => (r * 7) % classes);
    const want = cpuCrossEntropy(n, classes, logits, targets, eps);
    const got = await runGpu(n, classes, logits, targets, eps);
    expect(Math.abs(got.loss - want.loss)).toBeLessThan(1e-4 * Math.max(1, want.loss));
    expect(maxAbsDiff(got.dLogits, want.dLogits)).toBeLessThan(1e-6);
    expect(got.correct).toBe(want.correct);
  });

  it.skipIf(noGpu).each([['one lane per row', FEW], ['a workgroup per row', MANY]])('takes the first of equal maxima as the argmax, as torch.argmax (%s)', async (_path, classes) => {
    requireGpu(ctx);
    // The max at 3 and classes − 3 (different lanes in a row's workgroup): target classes − 3 is a miss.
    const logits = new Float64Array(classes);
    logits[3] = 1;
    logits[classes - 3] = 1;
    expect((await runGpu(1, classes, logits, [classes - 3])).correct).toBe(0);
    expect((await runGpu(1, classes, logits, [3])).correct).toBe(1);
  });

  it.skipIf(noGpu).each([['one lane per row', 10], ['a workgroup per row', MANY]])('ties against the CPU twin over a batch of 70 (%s)', async (_path, classes) => {
    requireGpu(ctx);
    // Every row has its max at two or three places, the target on one of them or elsewhere.
    const n = 70;
    const logits = randomArray(n * classes, 7 * classes, 2);
    const targets = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const row = logits.subarray(r * classes, (r + 1) * classes);
      const at = [r % classes, (r * 7 + 1) % classes, (r * 3 + 2) % classes];
      for (const j of at.slice(0, 2 + (r % 2))) row[j] = 5;
      targets[r] = at[r % 3]!;
    }
    const want = cpuCrossEntropy(n, classes, logits, targets);
    const got = await runGpu(n, classes, logits, targets);
    expect(want.correct).toBeGreaterThan(0);
    expect(want.correct).toBeLessThan(n);
    expect(got.correct).toBe(want.correct);
    expect(Math.abs(got.loss - want.loss)).toBeLessThan(1e-4 * Math.max(1, want.loss));
    expect(maxAbsDiff(got.dLogits, want.dLogits)).toBeLessThan(1e-6);
  });

  it.skipIf(noGpu).each([['one lane per row', 3], ['a workgroup per row', MANY]])('an invalid target makes the loss NaN instead of passing silently (%s)', async (_path, classes) => {
    requireGpu(ctx);
    // 70 rows, one target past the last class, one negative, one fractional; the other rows
    // keep their gradient and count towards correct as the CPU twin computes them.
    const n = 70;
    const logits = randomArray(n * classes, 5 * classes, 3);
    const targets = Float64Array.from({ length: n }, (_, r) => (r * 5) % classes);
    for (let r = 0; r < n; r += 3) logits[r * classes + targets[r]!] = 10;
    const bad = new Map([[5, classes], [40, -1], [69, 0.5]]);
    const withBad = Float64Array.from(targets);
    for (const [r, t] of bad) withBad[r] = t;
    const got = await runGpu(n, classes, logits, withBad);
    expect(Number.isNaN(got.loss)).toBe(true);

    const want = cpuCrossEntropy(n, classes, logits, targets);
    const validRows = Array.from({ length: n }, (_, r) => r).filter((r) => !bad.has(r));
    const rowsOf = (a: ArrayLike<number>) => validRows.flatMap((r) => Array.from(a).slice(r * classes, (r + 1) * classes));
    expect(maxAbsDiff(rowsOf(got.dLogits), rowsOf(want.dLogits))).toBeLessThan(1e-6);
    const badHits = [...bad.keys()].filter((r) => logits[r * classes + targets[r]!] === 10).length;
    expect(got.correct).toBe(want.correct - badHits);
  });

  const cases = parseCaseFile(readFileSync(join(__dirname, '../fixtures/cases/cross_entropy.json'), 'utf8'))
    .cases.filter((c): c is CrossEntropyCase => c.kind === 'case' && c.op === 'cross_entropy');
  it.skipIf(noGpu).each(cases.map((c) => [c.name, c] as const))('PyTorch case %s', async (_name, c) => {
    requireGpu(ctx);
    const [n, classes] = c.inputs.logits.shape as [number, number];
    const got = await runGpu(n, classes, c.inputs.logits.data, c.inputs.target.data, c.attrs.labelSmoothing);
    expect(compareTensor([got.loss], c.expected.loss!, c.tolerance).pass, `loss ${got.loss}`).toBe(true);
    const grad = compareTensor(got.dLogits, c.expected.gradLogits!, c.tolerance);
    expect(grad.pass, `grad off by ${grad.worstAbsError}`).toBe(true);
  });
});
