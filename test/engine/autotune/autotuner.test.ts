// Autotune logic on the CPU tier: choosing, remembering per adapter, the store round trip, and
// the GEMM config space (split plans, candidate lists, keys) — no device involved.

import { describe, expect, it } from 'vitest';
import { Autotuner, MemoryAutotuneStore, adapterKey, fastest, median } from '../../../src/engine/webgpu/autotune/autotuner';
import { gemmCandidates, gemmConfigKey, gemmWorkgroups, heuristicGemmConfig, maxSplits, splitPlan } from '../../../src/engine/webgpu/autotune/gemmConfigs';
import { gemmProblemKey, operandExtent, parseGemmConfigKey } from '../../../src/engine/webgpu/autotune/gemmTuning';
import { gemmSpec } from '../../../src/engine/gemm';
import { conv2dGeometry } from '../../../src/engine/conv/geometry';
import { forwardGemm, gradInputGemm, gradWeightGemm } from '../../../src/engine/conv/gemmPlan';

const swiftshader = adapterKey({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' });

describe('Autotuner', () => {
  it('picks the fastest timed candidate and skips rejected ones', async () => {
    const t = new Autotuner(swiftshader);
    const times: Record<string, number> = { a: 3, b: 1, c: 2 };
    const choice = await t.tune('k', 'forward', ['a', 'b', 'c', 'bad'], async (name) => {
      if (name === 'bad') throw new Error('wrong result');
      return times[name]!;
    });
    expect(choice).toBe('b');
    const [d] = t.describe();
    expect(d).toMatchObject({ key: 'k', phase: 'forward', choice: 'b', reason: 'measured' });
    expect(d!.candidates.find((c) => c.name === 'bad')).toMatchObject({ ms: null, rejected: 'wrong result' });
  });

  it('measures a key once, and a heuristic note never blocks measuring', async () => {
    const t = new Autotuner(swiftshader);
    t.noteHeuristic('k', 'gemm', 'h');
    expect(t.get('k')?.reason).toBe('heuristic');
    let calls = 0;
    await t.tune('k', 'gemm', ['x'], async () => (calls++, 1));
    await t.tune('k', 'gemm', ['x', 'y'], async () => (calls++, 1));
    expect(calls).toBe(1);
    expect(t.get('k')?.choice).toBe('x');
  });

  it('fails loudly when no candidate runs', async () => {
    const t = new Autotuner(swiftshader);
    await expect(t.tune('k', 'gemm', ['x'], async () => { throw new Error('nope'); })).rejects.toThrow(/no candidate ran.*x: nope/);
  });

  it('stores choices per adapter and reads them back as cached', async () => {
    const store = new MemoryAutotuneStore();
    const first = new Autotuner(swiftshader, store);
    await first.load();
    await first.tune('k', 'grad-weight', ['a', 'b'], async (n) => (n === 'a' ? 2 : 1));
    first.noteHeuristic('h', 'gemm', 'z');
    await first.save();
    const other = new Autotuner('nvidia|ampere|RTX', store);
    await other.tune('k', 'grad-weight', ['a'], async () => 1);
    await other.save();

    const again = new Autotuner(swiftshader, store);
    await again.load();
    expect(again.get('k')).toMatchObject({ choice: 'b', reason: 'cached', phase: 'grad-weight' });
    expect(again.get('h')).toBeUndefined(); // heuristics are not persisted
    expect(Object.keys(store.file!.adapters).sort()).toEqual(['nvidia|ampere|RTX', swiftshader].sort());
    let measured = false;
    expect(await again.tune('k', 'grad-weight', ['a'], async () => ((measured = true), 0))).toBe('b');
    expect(measured).toBe(false);
  });

  it('treats a broken store as empty', async () => {
    const t = new Autotuner(swiftshader, { load: async () => { throw new Error('disk'); }, save: async () => undefined });
    await t.load();
    expect(t.describe()).toEqual([]);
  });

  it('median and fastest', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(fastest([{ name: 'a', ms: null }, { name: 'b', ms: 2 }, { name: 'c', ms: 2 }])?.name).toBe('b');
    expect(fastest([{ name: 'a', ms: null }])).toBeNull();
  });
});

describe('GEMM configs', () => {
  const g = conv2dGeometry([64, 8, 14, 14], [16, 8, 3, 3], { padding: 1 });
  const g1 = conv2dGeometry([64, 1, 28, 28], [8, 1, 3, 3], { padding: 1 });
  const specs = [forwardGemm(g), gradInputGemm(g), gradWeightGemm(g, false), gradWeightGemm(g1, false), gemmSpec({ m: 5, n: 7, k: 3 })];

  it('split plans cover the reduction exactly, never with an empty slice', () => {
    for (const s of specs) {
      for (const wanted of [1, 2, 3, 7, 16, 64, 1000]) {
        const p = splitPlan(s, wanted);
        expect(p.splits).toBeGreaterThanOrEqual(1);
        if (p.splitOnR) {
          expect(p.rPerSplit * p.splits).toBeGreaterThanOrEqual(s.reduce.count);
          expect(p.rPerSplit * (p.splits - 1)).toBeLessThan(s.reduce.count);
        } else {
          expect(p.kPerSplit * p.splits).toBeGreaterThanOrEqual(s.k);
          expect(p.kPerSplit * (p.splits - 1)).toBeLessThan(s.k);
        }
      }
    }
    expect(splitPlan(gradWeightGemm(g, false), 16)).toMatchObject({ splitOnR: true, splits: 16, rPerSplit: 4 });
  });

  it('the heuristic splits small-output, long-reduction GEMMs (grad-weight) and not big outputs', () => {
    const gw1 = heuristicGemmConfig(gradWeightGemm(g1, false), 64);
    expect(gw1.splits).toBeGreaterThan(1);
    const [x, y, z] = gemmWorkgroups(gradWeightGemm(g1, false), gw1);
    expect(x * y * z).toBeGreaterThanOrEqual(16);
    expect(heuristicGemmConfig(forwardGemm(g), 64).splits).toBe(1);
    expect(maxSplits(gemmSpec({ m: 1, n: 1, k: 10 }))).toBe(1);
  });

  it('candidates are unique, round-trip through their keys, and fit a 256-invocation workgroup', () => {
    for (const s of specs) {
      const list = gemmCandidates(s, 64);
      expect(list.length).toBeGreaterThan(0);
      const keys = list.map(gemmConfigKey);
      expect(new Set(keys).size).toBe(keys.length);
      for (const c of list) {
        expect(parseGemmConfigKey(gemmConfigKey(c))).toEqual(c);
        expect(c.wgX * c.wgY).toBeLessThanOrEqual(256);
      }
    }
    expect(parseGemmConfigKey('wg64x64.tm4.tn4.s1')).toBeNull();
    expect(parseGemmConfigKey('nonsense')).toBeNull();
  });

  it('problem keys and operand extents', () => {
    const s = gradWeightGemm(g, false);
    expect(gemmProblemKey(s)).toBe('gemm:nt:16x72x196:b1x1:r64');
    expect(operandExtent(s, 'a')).toBe(64 * 16 * 196);
    expect(operandExtent(s, 'b')).toBe(64 * 72 * 196);
    expect(operandExtent(s, 'c')).toBe(16 * 72);
    expect(operandExtent(gemmSpec({ m: 3, n: 4, k: 5, transA: true }), 'a')).toBe(15);
  });
});
