import { describe, expect, it } from 'vitest';
import { compareRuns, configDiff, kernelTimeSummary } from '../../../src/main/services/runs/compare';
import type { MetricsRecord, RunManifest } from '../../../src/shared/runFormat';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function manifest(id: string, over: Partial<RunManifest> = {}): RunManifest {
  return {
    formatVersion: 1, id, name: id, createdAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString(),
    status: 'completed', config: {}, modelSpec: 'm', dataset: { id: 'd' }, seed: 1, adapter: null, versions: {},
    summary: {}, notes: '', tags: [], pid: null, host: null, heartbeatAt: null, endedAt: null, ...over,
  };
}

const A = '20260101-000000-aaaaaa';
const B = '20260101-000000-bbbbbb';

describe('compareRuns alignment', () => {
  const a: MetricsRecord[] = [
    { kind: 'step', step: 1, time: T0 + 1000, loss: 2, gradNorms: { '0.weight': 0.5 } },
    { kind: 'step', step: 2, time: T0 + 2500, loss: 1.5 },
    { kind: 'epoch', epoch: 1, accuracy: 0.7 },
    { kind: 'event', message: 'x' } as MetricsRecord,
  ];
  const b: MetricsRecord[] = [
    { kind: 'step', step: 2, time: T0 + 60_000 + 1000, loss: 3 },
    { kind: 'step', step: 2, time: T0 + 60_000 + 2000, loss: 2.5 }, // resumed: the later record wins
    { kind: 'step', step: 3, loss: null } as MetricsRecord,
    { kind: 'epoch', epoch: 1, accuracy: 0.6 },
    { kind: 'epoch', epoch: 2, accuracy: 0.8 },
  ];
  const runs = [
    { manifest: manifest(A), records: a },
    { manifest: manifest(B, { createdAt: new Date(T0 + 60_000).toISOString() }), records: b },
  ];

  it('by step: union of steps, null where a run has no record, nested metrics flattened', () => {
    const c = compareRuns(runs, 'step');
    expect(c.x).toEqual([1, 2, 3]);
    expect(c.metrics).toEqual(['gradNorms.0.weight', 'loss']);
    expect(c.values[0]).toEqual({ 'gradNorms.0.weight': [0.5, null, null], loss: [2, 1.5, null] });
    expect(c.values[1]).toEqual({ 'gradNorms.0.weight': [null, null, null], loss: [null, 2.5, null] });
    expect(c.runs.map((r) => r.id)).toEqual([A, B]);
  });

  it('by epoch: epoch records only', () => {
    const c = compareRuns(runs, 'epoch');
    expect(c.x).toEqual([1, 2]);
    expect(c.values).toEqual([{ accuracy: [0.7, null] }, { accuracy: [0.6, 0.8] }]);
  });

  it('by time: seconds since each run\'s own start; records without time are left out', () => {
    const c = compareRuns(runs, 'time');
    expect(c.x).toEqual([1, 2, 2.5]);
    expect(c.values[0].loss).toEqual([2, null, 1.5]);
    expect(c.values[1].loss).toEqual([3, 2.5, null]);
  });

  it('by time: a run from before wall-clock times (seconds since its start in `time`) lines up too', () => {
    const old = { manifest: { ...runs[0]!.manifest, id: '20260101-000000-oldold' }, records: [{ kind: 'step' as const, step: 1, time: 1.5, loss: 4 }] };
    const c = compareRuns([runs[0]!, old], 'time');
    expect(c.x).toEqual([1, 1.5, 2.5]);
    expect(c.values[1]!.loss).toEqual([null, 4, null]);
  });

  it('refuses an empty list', () => {
    expect(() => compareRuns([], 'step')).toThrow(/at least one run/);
  });
});

describe('configDiff', () => {
  it('lists only differing flattened paths, with absent values marked', () => {
    const diff = configDiff([
      manifest(A, { config: { optimizer: { kind: 'sgd', lr: 0.1 }, layers: [8, 16], batch: 64 }, seed: 1 }),
      manifest(B, { config: { optimizer: { kind: 'sgd', lr: 0.01, momentum: 0.9 }, layers: [8, 32], batch: 64 }, seed: 2 }),
    ]);
    expect(diff).toEqual([
      { path: 'config.layers.1', values: [16, 32], missing: [false, false] },
      { path: 'config.optimizer.lr', values: [0.1, 0.01], missing: [false, false] },
      { path: 'config.optimizer.momentum', values: [null, 0.9], missing: [true, false] },
      { path: 'seed', values: [1, 2], missing: [false, false] },
    ]);
  });

  it('tells null from absent', () => {
    const diff = configDiff([manifest(A, { config: { x: null } }), manifest(B, { config: {} })]);
    expect(diff.map((d) => [d.path, d.missing])).toEqual([['config', [true, false]], ['config.x', [false, true]]]);
  });
});

describe('kernelTimeSummary', () => {
  it('means per label per run, null for runs without timings', () => {
    const k = kernelTimeSummary([
      [
        { kind: 'step', step: 1, kernelTimes: { gemm: 1, im2col: 0.5 } },
        { kind: 'step', step: 2, kernelTimes: { gemm: 3 } },
        { kind: 'epoch', epoch: 1, kernelTimes: { gemm: 100 } }, // only step records count
      ],
      [{ kind: 'step', step: 1, loss: 1 }],
    ]);
    expect(k).toEqual({ labels: ['gemm', 'im2col'], meanMs: [[2, 0.5], [null, null]], steps: [2, 0] });
  });
});
