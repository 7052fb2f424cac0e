// CPU tier: how runs become table rows and comparison chart series.
import { describe, expect, it } from 'vitest';
import type { RunComparison } from '../../src/shared/labApi';
import type { RunManifest } from '../../src/shared/runFormat';
import { alignLabel, compareMetrics, comparisonSeries, formatLeaf, kernelRows, runRow } from '../../src/renderer/src/components/runs/runRows';

const manifest = (over: Partial<RunManifest>): RunManifest => ({
  formatVersion: 1, id: '20260101-120000-abcdef', name: 'r', createdAt: '2026-01-01T12:00:00.000Z', updatedAt: '2026-01-01T12:00:30.000Z',
  status: 'completed', config: {}, modelSpec: 'relu', dataset: { id: 'builtin:fashion-mnist-mini' }, seed: 1, adapter: null, versions: {},
  summary: {}, notes: '', tags: [], pid: null, host: null, heartbeatAt: null, endedAt: '2026-01-01T12:01:00.000Z', ...over,
}) as RunManifest;

const comparison: RunComparison = {
  align: 'step',
  runs: [{ id: 'a', name: 'A', status: 'completed', datasetId: 'd' }, { id: 'b', name: 'B', status: 'completed', datasetId: 'd' }],
  x: [0, 1, 2],
  metrics: ['loss'],
  values: [{ loss: [2, null, 1] }, { loss: [null, 1.5, null] }],
  configDiff: [],
  kernelTimes: { labels: ['0|forward|gemm', '0|grad-weight|gemm'], meanMs: [[0.1, 0.5], [0.2, null]], steps: [3, 1] },
};

describe('runRow', () => {
  it('prefers bestValAccuracy, falls back to valAccuracy, measures creation to end', () => {
    expect(runRow(manifest({ summary: { bestValAccuracy: 0.9, valAccuracy: 0.8 } })).bestValAccuracy).toBe(0.9);
    const row = runRow(manifest({ summary: { valAccuracy: 0.8 }, dataset: { id: 'd', name: 'Digits' } }));
    expect(row).toMatchObject({ bestValAccuracy: 0.8, durationSeconds: 60, dataset: 'Digits' });
    expect(runRow(manifest({ endedAt: null, heartbeatAt: '2026-01-01T12:00:10.000Z' })).durationSeconds).toBe(10);
    expect(runRow(manifest({ summary: { valAccuracy: 'n/a' } })).bestValAccuracy).toBeNull();
  });
});

describe('comparisonSeries', () => {
  it('keeps only each run’s own x positions, so its line has no holes', () => {
    const s = comparisonSeries(comparison, ['loss']);
    expect(s.map((x) => x.name)).toEqual(['A', 'B']);
    expect(Array.from(s[0]!.x)).toEqual([0, 2]);
    expect(Array.from(s[0]!.y)).toEqual([2, 1]);
    expect(Array.from(s[1]!.x)).toEqual([1]);
  });

  it('names metrics and dashes the second when several are overlaid; skips absent metrics', () => {
    const s = comparisonSeries({ ...comparison, values: [{ trainLoss: [1, 1, 1], valLoss: [2, 2, 2] }, {}] }, ['trainLoss', 'valLoss']);
    expect(s.map((x) => [x.name, x.dashed])).toEqual([['A · train loss', false], ['A · val loss', true]]);
  });

  it('chooses metrics and axis names per alignment', () => {
    expect(compareMetrics('epoch').accuracy[0]).toBe('valAccuracy');
    expect(compareMetrics('step').loss).toEqual(['loss']);
    expect(alignLabel('time')).toBe('time since start (s)');
  });
});

describe('kernelRows / formatLeaf', () => {
  it('sorts kernels slowest first', () => {
    expect(kernelRows(comparison).map((r) => r.label)).toEqual(['0|grad-weight|gemm', '0|forward|gemm']);
    expect(kernelRows(comparison)[0]!.ms).toEqual([0.5, null]);
  });

  it('shows strings raw, other leaves as JSON, missing as a dash', () => {
    expect(formatLeaf('adam', false)).toBe('adam');
    expect(formatLeaf(0.01, false)).toBe('0.01');
    expect(formatLeaf(null, false)).toBe('null');
    expect(formatLeaf(null, true)).toBe('—');
  });
});
