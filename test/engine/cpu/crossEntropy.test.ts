// Softmax cross-entropy CPU twin: gradient against central finite differences of its own loss,
// stability with huge logits, the correct-count, and a clear error for a bad target.

import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { randomArray } from '../../helpers/random';

const be = new CpuBackend();

function run(n: number, classes: number, logits: Float64Array, targets: number[], smoothing = 0) {
  const loss = be.alloc(1), dLogits = be.alloc(n * classes), correct = be.alloc(1);
  be.crossEntropy(n, classes, logits, Float64Array.from(targets), loss, dLogits, correct, smoothing);
  return { loss: loss[0]!, dLogits, correct: correct[0]! };
}

describe('crossEntropy CPU twin', () => {
  const n = 4, classes = 5;
  const logits = randomArray(n * classes, 7, 3);
  const targets = [0, 4, 2, 2];

  it('dLogits is the finite-difference gradient of the mean loss', () => {
    const { dLogits } = run(n, classes, logits, targets);
    const h = 1e-6;
    for (let k = 0; k < logits.length; k++) {
      const saved = logits[k]!;
      logits[k] = saved + h;
      const up = run(n, classes, logits, targets).loss;
      logits[k] = saved - h;
      const down = run(n, classes, logits, targets).loss;
      logits[k] = saved;
      expect(dLogits[k]).toBeCloseTo((up - down) / (2 * h), 7);
    }
  });

  it.each([0.1, 0.5, 1])('with label_smoothing %s, dLogits is the finite-difference gradient of the smoothed loss', (eps) => {
    const { dLogits } = run(n, classes, logits, targets, eps);
    const h = 1e-6;
    for (let k = 0; k < logits.length; k++) {
      const saved = logits[k]!;
      logits[k] = saved + h;
      const up = run(n, classes, logits, targets, eps).loss;
      logits[k] = saved - h;
      const down = run(n, classes, logits, targets, eps).loss;
      logits[k] = saved;
      expect(dLogits[k]).toBeCloseTo((up - down) / (2 * h), 7);
    }
  });

  it('label_smoothing is the cross-entropy against (1 − ε)·onehot + ε/classes', () => {
    const eps = 0.2;
    const { loss } = run(n, classes, logits, targets, eps);
    let want = 0;
    for (let r = 0; r < n; r++) {
      const row = Array.from(logits.subarray(r * classes, (r + 1) * classes));
      const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      row.forEach((v, j) => { want -= ((j === targets[r] ? 1 - eps : 0) + eps / classes) * (v - lse); });
    }
    expect(loss).toBeCloseTo(want / n, 12);
    expect(run(n, classes, logits, targets, 0).loss).toBe(run(n, classes, logits, targets).loss);
  });

  it('loss is −log softmax[target] averaged over rows, rows of dLogits sum to 0', () => {
    const { loss, dLogits } = run(n, classes, logits, targets);
    let want = 0;
    for (let r = 0; r < n; r++) {
      const row = Array.from(logits.subarray(r * classes, (r + 1) * classes));
      want -= Math.log(Math.exp(row[targets[r]!]!) / row.reduce((s, v) => s + Math.exp(v), 0));
      expect(Math.abs(dLogits.subarray(r * classes, (r + 1) * classes).reduce((s, v) => s + v, 0))).toBeLessThan(1e-15);
    }
    expect(loss).toBeCloseTo(want / n, 12);
  });

  it('counts rows whose first argmax is the target', () => {
    const l = Float64Array.of(
      5, 1, 0, // argmax 0, target 0: hit
      1, 1, 0, // tie between 0 and 1 → first (0), target 1: miss
      0, 2, 9, // argmax 2, target 2: hit
    );
    expect(run(3, 3, l, [0, 1, 2]).correct).toBe(2);
  });

  it('stays finite with logits of ±1000', () => {
    const { loss, dLogits } = run(2, 3, Float64Array.of(1000, -1000, 999, -1000, 1000, 0), [2, 0]);
    expect(loss).toBeCloseTo((Math.log(1 + Math.exp(1)) + 2000) / 2, 9);
    expect(dLogits.every(Number.isFinite)).toBe(true);
  });

  it('names a target that is not a class index', () => {
    expect(() => run(1, 3, Float64Array.of(0, 0, 0), [3])).toThrow(/target 3 in row 0 is not a class index in \[0, 3\)/);
    expect(() => run(1, 3, Float64Array.of(0, 0, 0), [0.5])).toThrow(/not a class index/);
  });
});
