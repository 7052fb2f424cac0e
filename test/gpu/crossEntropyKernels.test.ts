// cross_entropy.wgsl against its float64 CPU twin and PyTorch's cross_entropy.json.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { compareTensor, parseCaseFile, type CrossEntropyCase } from '../../src/shared/cases';
import { maxAbsDiff, randomArray, seeded } from '../helpers/random';
import { gpuContext } from './gpuTestContext';

const cpu = new CpuBackend();
let ctx: GpuContext | null = null;
let gpu: WebGpuBackend;

beforeAll(async () => {
  ctx = await gpuContext();
  if (ctx) gpu = new WebGpuBackend(ctx);
});

async function runGpu(n: number, classes: number, logits: ArrayLike<number>, targets: ArrayLike<number>) {
  const loss = gpu.alloc(1, 'loss'), dLogits = gpu.alloc(n * classes, 'dLogits'), correct = gpu.alloc(1, 'correct');
  gpu.crossEntropy(n, classes, gpu.upload(logits, 'logits'), gpu.upload(targets, 'targets'), loss, dLogits, correct);
  return { loss: (await gpu.read(loss))[0]!, dLogits: await gpu.read(dLogits), correct: (await gpu.read(correct))[0]! };
}

describe('cross-entropy kernel', () => {
  // 70 rows > the 64-wide finish workgroup; 100 classes > the 64-wide row workgroup.
  it.each([[4, 3], [70, 10], [3, 100]])('n=%i classes=%i against the CPU twin', async (n, classes) => {
    if (!ctx) return;
    const logits = randomArray(n * classes, n + classes, 4);
    const next = seeded(n * classes);
    const targets = Float64Array.from({ length: n }, () => Math.floor(next() * classes));
    // Make some rows right, so correct is neither 0 nor n.
    for (let r = 0; r < n; r += 2) logits[r * classes + targets[r]!] = 20;
    const loss = cpu.alloc(1), dLogits = cpu.alloc(n * classes), correct = cpu.alloc(1);
    cpu.crossEntropy(n, classes, logits, targets, loss, dLogits, correct);
    const got = await runGpu(n, classes, logits, targets);
    expect(Math.abs(got.loss - loss[0]!)).toBeLessThan(1e-4 * Math.max(1, loss[0]!));
    expect(maxAbsDiff(got.dLogits, dLogits)).toBeLessThan(1e-6);
    expect(got.correct).toBe(correct[0]);
  });

  it('takes the first of equal maxima as the argmax, as torch.argmax', async () => {
    if (!ctx) return;
    // 70 classes, the max at 3 and 67 (different invocations): target 67 is a miss.
    const logits = new Float64Array(70);
    logits[3] = 1;
    logits[67] = 1;
    expect((await runGpu(1, 70, logits, [67])).correct).toBe(0);
    expect((await runGpu(1, 70, logits, [3])).correct).toBe(1);
  });

  it('an invalid target makes the loss NaN instead of passing silently', async () => {
    if (!ctx) return;
    expect(Number.isNaN((await runGpu(2, 3, [0, 1, 2, 3, 4, 5], [1, 3])).loss)).toBe(true);
  });

  const cases = parseCaseFile(readFileSync(join(__dirname, '../fixtures/cases/cross_entropy.json'), 'utf8'))
    .cases.filter((c): c is CrossEntropyCase => c.kind === 'case' && c.op === 'cross_entropy');
  it.each(cases.map((c) => [c.name, c] as const))('PyTorch case %s', async (_name, c) => {
    if (!ctx) return;
    const [n, classes] = c.inputs.logits.shape as [number, number];
    const got = await runGpu(n, classes, c.inputs.logits.data, c.inputs.target.data);
    expect(compareTensor([got.loss], c.expected.loss!, c.tolerance).pass, `loss ${got.loss}`).toBe(true);
    const grad = compareTensor(got.dLogits, c.expected.gradLogits!, c.tolerance);
    expect(grad.pass, `grad off by ${grad.worstAbsError}`).toBe(true);
  });
});
