// CPU tier: the pure parts behind the run table and the charts for many runs: columns and cells,
// legends named by what differs, the virtual list's window, parallel-coordinate and scatter axes,
// smoothing by distance along x, a log x axis, and comparison series with labels and colours.
import { describe, expect, it } from 'vitest';
import type { RunComparison } from '../../src/shared/labApi';
import type { RunManifest } from '../../src/shared/runFormat';
import { chartPalette } from '../../src/renderer/src/styles/theme';
import { automaticColumns, formatFact, isNumericFact, legendLabels } from '../../src/renderer/src/components/runs/runColumns';
import { comparisonSeries, alignLabel } from '../../src/renderer/src/components/runs/runRows';
import { rowWindow } from '../../src/renderer/src/components/runs/virtualRows';
import { buildParallelOption, CATEGORY_UP_TO, MISSING, parallelLayout, type ParallelColumn } from '../../src/renderer/src/components/charts/parallelOptions';
import { buildScatterOption, scatterLayout } from '../../src/renderer/src/components/charts/scatterOptions';
import { commonXUnit, emaSmooth, emaSmoothX } from '../../src/renderer/src/components/charts/smoothing';
import { buildLineOption, seriesPoints } from '../../src/renderer/src/components/charts/lineOptions';

const manifest = (id: string, train: Record<string, unknown>, name = id): RunManifest => ({
  formatVersion: 1, id, name, createdAt: '2026-01-01T12:00:00.000Z', updatedAt: '2026-01-01T12:00:30.000Z', status: 'completed',
  config: { train: { lr: 0.01, batchSize: 32, epochs: 1, seed: 1, optimizer: { name: 'sgd', momentum: 0.9, weightDecay: 0, nesterov: false }, ...train } },
  modelSpec: 'relu', dataset: { id: 'builtin:fashion-mnist-mini' }, seed: 1, adapter: null, versions: {}, summary: {}, notes: '', tags: [],
  pid: null, host: null, heartbeatAt: null, endedAt: '2026-01-01T12:01:00.000Z',
}) as RunManifest;

describe('run table columns', () => {
  it('shows name, status, what differs, the headline metrics and the date by default', () => {
    expect(automaticColumns(['lr', 'batch'])).toEqual(['name', 'status', 'lr', 'batch', 'best_val_accuracy', 'val_accuracy', 'best_val_loss', 'val_loss', 'images_per_second', 'duration', 'created']);
  });

  it('formats cells: accuracy in percent, duration as time, numbers to four digits, missing as a dash', () => {
    expect(formatFact('best_val_accuracy', 0.8123)).toMatch(/81\.2/);
    expect(formatFact('duration', 75)).toBe('1 min 15 s');
    expect(formatFact('lr', 0.0031622776)).toBe('0.003162');
    expect(formatFact('momentum', null)).toBe('—');
    expect(formatFact('images_per_second', 1234.6)).toMatch(/1[,.\s]?235/);
    expect(isNumericFact('lr') && !isNumericFact('optimizer') && !isNumericFact('name')).toBe(true);
  });

  it('names runs in a legend by what differs, the run name where nothing does or two runs tie', () => {
    const runs = [manifest('a', { lr: 0.03, batchSize: 64 }), manifest('b', { lr: 0.1, batchSize: 64 }), manifest('c', { lr: 0.03, batchSize: 32 })];
    // batch differs between a/c; lr between a/b
    expect(legendLabels(runs)).toEqual(['lr=0.03 batch=64', 'lr=0.1 batch=64', 'lr=0.03 batch=32']);
    expect(legendLabels([manifest('a', {}, 'first'), manifest('b', {}, 'second')])).toEqual(['first', 'second']);
    const repeat = legendLabels([manifest('a', { lr: 0.1 }, 'A'), manifest('b', { lr: 0.1 }, 'B'), manifest('c', { lr: 0.2 }, 'C')]);
    expect(repeat).toEqual(['lr=0.1 (A)', 'lr=0.1 (B)', 'lr=0.2']);
  });
});

describe('virtual rows', () => {
  it('renders the rows in view and a few either side, spacers for the rest', () => {
    expect(rowWindow(500, 34, 0, 340, 5)).toEqual({ start: 0, end: 15, padTop: 0, padBottom: 485 * 34 });
    const w = rowWindow(500, 34, 3400, 340, 5); // row 100 at the top
    expect(w).toEqual({ start: 95, end: 115, padTop: 95 * 34, padBottom: 385 * 34 });
    expect(rowWindow(500, 34, 999_999, 340, 5).end).toBe(500);
    expect(rowWindow(0, 34, 0, 340)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    // Not measured yet: a screenful, not nothing.
    expect(rowWindow(500, 34, 0, 0, 0).end).toBeGreaterThan(10);
  });
});

describe('parallel coordinates', () => {
  const columns: ParallelColumn[] = [
    { key: 'lr', name: 'lr', kind: 'hyperparameter' },
    { key: 'optimizer', name: 'optimizer', kind: 'hyperparameter' },
    { key: 'momentum', name: 'momentum', kind: 'hyperparameter' },
    { key: 'best_val_accuracy', name: 'best_val_accuracy', kind: 'metric' },
  ];

  it('a grid’s values are categories in numeric order; a missing value is a place on the axis; the metric is a value axis', () => {
    const l = parallelLayout(columns, [
      { id: 'a', values: [0.1, 'sgd', 0.9, 0.8] },
      { id: 'b', values: [0.01, 'adam', null, 0.75] },
      { id: 'c', values: [0.03, 'sgd', 0.9, 0.7] },
      { id: 'd', values: [0.03, 'sgd', 0.9, null] },
    ]);
    expect(l.axes.map((a) => a.type)).toEqual(['category', 'category', 'category', 'value']);
    expect(l.axes[0]!.categories).toEqual(['0.01', '0.03', '0.1']);
    expect(l.axes[2]!.categories).toEqual([MISSING, '0.9']);
    expect(l.ids).toEqual(['a', 'b', 'c']);
    expect(l.dropped).toBe(1); // d has no metric yet
    expect(l.data[1]).toEqual(['0.01', 'adam', MISSING, 0.75]);
    const option = buildParallelOption(l, chartPalette('light'), 3) as { parallelAxis: Array<{ type: string; data?: string[] }>; visualMap: { dimension: number; min: number; max: number } };
    expect(option.parallelAxis[0]).toMatchObject({ type: 'category', data: ['0.01', '0.03', '0.1'] });
    expect(option.visualMap).toMatchObject({ dimension: 3, min: 0.7, max: 0.8 });
  });

  it('a random search’s many values are a value axis, logarithmic over decades', () => {
    const rows = Array.from({ length: CATEGORY_UP_TO + 3 }, (_, i) => ({ id: `r${i}`, values: [1e-4 * 10 ** (i / 5), 'sgd', 0.9, 0.5 + i / 100] }));
    const l = parallelLayout(columns, rows);
    expect(l.axes[0]!.type).toBe('log');
    const linear = parallelLayout(columns, rows.map((r, i) => ({ ...r, values: [0.01 + i / 1000, 'sgd', 0.9, 0.5] })));
    expect(linear.axes[0]!.type).toBe('value');
  });
});

describe('scatter', () => {
  it('log x where the values span decades, a category x for text, points without a value left out', () => {
    const pts = [
      { id: 'a', label: 'A', x: 1e-4, y: 0.5 }, { id: 'b', label: 'B', x: 1e-2, y: 0.7 }, { id: 'c', label: 'C', x: 0.1, y: null },
    ];
    const l = scatterLayout(pts);
    expect(l).toMatchObject({ xType: 'log', yType: 'value', ids: ['a', 'b'], dropped: 1 });
    const cat = scatterLayout([{ id: 'a', label: 'A', x: 'sgd', y: 0.5 }, { id: 'b', label: 'B', x: 'adam', y: 0.6 }]);
    expect(cat).toMatchObject({ xType: 'category', categories: ['adam', 'sgd'] });
    const option = buildScatterOption(l, { xLabel: 'lr', yLabel: 'acc' }, chartPalette('dark')) as { xAxis: { type: string }; tooltip: { formatter(p: { dataIndex: number }): string } };
    expect(option.xAxis.type).toBe('log');
    expect(option.tooltip.formatter({ dataIndex: 1 })).toContain('<b>B</b>');
  });
});

describe('smoothing by distance along x', () => {
  it('equals the per-point EMA at the common spacing', () => {
    const y = [2, 1.5, 1.7, 1.2, 1.1, 0.9];
    const x = [1, 2, 3, 4, 5, 6];
    const a = emaSmooth(y, 0.6);
    const b = emaSmoothX(x, y, 0.6, 1);
    for (let i = 0; i < y.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 12);
  });

  it('smooths a densely and a sparsely logged curve of the same signal alike', () => {
    const f = (t: number) => Math.exp(-t / 20);
    const dense = Array.from({ length: 101 }, (_, i) => i);
    const sparse = Array.from({ length: 11 }, (_, i) => i * 10);
    const unit = commonXUnit([dense, sparse]);
    expect(unit).toBe(1);
    const sd = emaSmoothX(dense, dense.map(f), 0.9, unit);
    const ss = emaSmoothX(sparse, sparse.map(f), 0.9, unit);
    // At x = 100 the two agree far better than the per-point EMA of each would.
    const pointDense = emaSmooth(dense.map(f), 0.9)[100]!;
    const pointSparse = emaSmooth(sparse.map(f), 0.9)[10]!;
    expect(Math.abs(sd[100]! - ss[10]!)).toBeLessThan(Math.abs(pointDense - pointSparse) / 3);
  });

  it('passes gaps through and a log x axis drops x <= 0', () => {
    expect(Number.isNaN(emaSmoothX([0, 1, 2], [1, NaN, 1], 0.5, 1)[1]!)).toBe(true);
    const pts = seriesPoints({ name: 't', x: [0, 1, 10], y: [3, 2, 1] }, 0, false, { logX: true });
    expect(pts.map((p) => p[0])).toEqual([1, 10]);
    const opt = buildLineOption({ series: [{ name: 't', x: [1, 10], y: [2, 1] }], xLabel: 'step', yLabel: 'loss', logX: true, legend: false }, chartPalette('light'), [pts]) as { xAxis: { type: string }; legend: { show: boolean } };
    expect(opt.xAxis.type).toBe('log');
    expect(opt.legend.show).toBe(false);
  });
});

describe('comparison series', () => {
  const c: RunComparison = {
    align: 'time', runs: [{ id: 'a', name: 'A', status: 'completed', datasetId: 'd' }, { id: 'b', name: 'B', status: 'completed', datasetId: 'd' }],
    x: [0, 1.5], metrics: ['loss'], values: [{ loss: [2, 1] }, { loss: [null, 1.4] }], configDiff: [], kernelTimes: { labels: [], meanMs: [[], []], steps: [0, 0] },
  };

  it('names runs by their labels, one colour per run, and wall clock adds each run’s start', () => {
    const s = comparisonSeries(c, ['loss'], { labels: ['lr=0.1', 'lr=0.01'], colors: ['#111111', '#222222'], wallStart: [1_000_000, 2_000_000] });
    expect(s.map((x) => [x.name, x.color])).toEqual([['lr=0.1', '#111111'], ['lr=0.01', '#222222']]);
    expect(Array.from(s[0]!.x)).toEqual([1_000_000, 1_001_500]);
    expect(Array.from(s[1]!.x)).toEqual([2_001_500]);
    expect(alignLabel('wall')).toBe('wall-clock time');
  });
});
