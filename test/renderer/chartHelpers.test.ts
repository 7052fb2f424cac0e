// CPU tier: the pure helpers behind the shared charts (smoothing, point shaping, tick labels).
import { describe, expect, it } from 'vitest';
import { emaSmooth } from '../../src/renderer/src/components/charts/smoothing';
import { buildLineOption, countDrawn, formatTick, lastDrawnX, seriesPoints, smoothingOf } from '../../src/renderer/src/components/charts/lineOptions';
import { buildBarOption, countBars } from '../../src/renderer/src/components/charts/barOptions';
import { chartPalette } from '../../src/renderer/src/styles/theme';

describe('emaSmooth', () => {
  it('weight 0 is a copy, and never touches its input', () => {
    const y = [3, 1, 4, 1, 5];
    const out = emaSmooth(y, 0);
    expect(Array.from(out)).toEqual(y);
    expect(out).not.toBe(y);
  });

  it('is debiased: a constant series stays constant from the first point', () => {
    const out = emaSmooth(new Float64Array(50).fill(2.5), 0.9);
    for (const v of out) expect(v).toBeCloseTo(2.5, 12);
  });

  it('matches the TensorBoard formula by hand', () => {
    const w = 0.6;
    const out = emaSmooth([1, 2, 3], w);
    let last = 0;
    const expected = [1, 2, 3].map((v, i) => {
      last = last * w + (1 - w) * v;
      return last / (1 - w ** (i + 1));
    });
    expected.forEach((e, i) => expect(out[i]).toBeCloseTo(e, 12));
    expect(out[0]).toBeCloseTo(1, 12);
  });

  it('passes NaN through as a gap without poisoning later values', () => {
    const out = emaSmooth([1, NaN, 1], 0.5);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1, 12);
  });

  it('clamps weights outside [0, 0.999]', () => {
    expect(Array.from(emaSmooth([1, 2], -3))).toEqual([1, 2]);
    expect(Number.isFinite(emaSmooth([1, 2], 5)[1]!)).toBe(true);
  });
});

describe('seriesPoints / countDrawn', () => {
  it('pairs x and y up to the shorter length and counts finite points', () => {
    const pts = seriesPoints({ name: 'a', x: [0, 1, 2, 3], y: Float64Array.from([1, NaN, 3]) }, 0, false);
    expect(pts).toEqual([[0, 1], [1, null], [2, 3]]);
    expect(countDrawn([pts])).toBe(2);
  });

  it('turns values <= 0 into gaps on a log axis', () => {
    const pts = seriesPoints({ name: 'g', x: [1, 2, 3], y: [0.1, 0, -1] }, 0, true);
    expect(pts).toEqual([[1, 0.1], [2, null], [3, null]]);
  });

  it('smooths a copy: the caller’s array is unchanged, and each point keeps its raw value', () => {
    const y = Float64Array.from([0, 10]);
    const pts = seriesPoints({ name: 's', x: [0, 1], y }, 0.5, false);
    expect(pts[1]![1]).not.toBe(10);
    expect(pts[1]![2]).toBe(10);
    expect(Array.from(y)).toEqual([0, 10]);
  });

  it('smoothing is for per-step training curves: never a series that says no, nothing on an epoch axis', () => {
    const train = { name: 'train loss', x: [1], y: [1] };
    const val = { name: 'validation loss', x: [1], y: [1], smooth: false };
    expect(smoothingOf(train, 0.6, 'step')).toBe(0.6);
    expect(smoothingOf(train, 0.6, 'seconds')).toBe(0.6);
    expect(smoothingOf(val, 0.6, 'step')).toBe(0);
    expect(smoothingOf(train, 0.6, 'epoch')).toBe(0);
    expect(smoothingOf({ ...train, smooth: true }, 0.6, 'epoch')).toBe(0.6);
  });

  it('lastDrawnX is the newest x with a value over all series', () => {
    expect(lastDrawnX([[[1, 1], [2, 2], [3, null]], [[5, 1]]])).toBe(5);
    expect(lastDrawnX([[[1, 1], [2, 2], [3, null]]])).toBe(2);
    expect(lastDrawnX([])).toBeNaN();
  });
});

describe('chart options', () => {
  it('line: value x axis, log y when asked, minmax sampling, no animation, axis names', () => {
    const series = [{ name: 'loss', x: [0, 1], y: [2, 1] }];
    const opt = buildLineOption({ series, xLabel: 'step', yLabel: 'loss (nats)', logY: true }, chartPalette('dark'), [seriesPoints(series[0]!, 0, true)]);
    expect(opt.animation).toBe(false);
    expect(opt.xAxis).toMatchObject({ type: 'value', name: 'step' });
    expect(opt.yAxis).toMatchObject({ type: 'log', name: 'loss (nats)' });
    expect((opt.series as Array<Record<string, unknown>>)[0]).toMatchObject({ type: 'line', sampling: 'minmax' });
  });

  it('line: a second y axis on the right for the series that ask, integer step ticks, symbols only on sparse curves', () => {
    const many = Array.from({ length: 100 }, (_, i) => i + 1);
    const series = [
      { name: 'loss', x: many, y: many },
      { name: 'accuracy', x: [10, 20], y: [50, 60], yAxis: 'right' as const, smooth: false },
    ];
    const opt = buildLineOption(
      { series, xLabel: 'step', yLabel: 'loss', yLabelRight: 'accuracy (%)', width: 600 },
      chartPalette('light'),
      series.map((s) => seriesPoints(s, 0, false)),
    );
    const y = opt.yAxis as Array<{ name: string; position: string }>;
    expect(y.map((a) => [a.name, a.position])).toEqual([['loss', 'left'], ['accuracy (%)', 'right']]);
    const s = opt.series as Array<{ yAxisIndex: number; showSymbol: boolean }>;
    expect(s.map((x) => x.yAxisIndex)).toEqual([0, 1]);
    expect(s.map((x) => x.showSymbol)).toEqual([false, true]);
    expect(opt.xAxis).toMatchObject({ minInterval: 1 });
    expect(opt.legend).toMatchObject({ type: 'plain' });
  });

  it('bar: one stack per part, nulls for missing values, bars counted', () => {
    const stacks = [{ name: 'forward', values: [1, null, 2] }, { name: 'grad-weight', values: [NaN, 3, 4] }];
    expect(countBars(stacks)).toBe(4);
    const opt = buildBarOption({ categories: ['0', '3', '7'], stacks, xLabel: 'layer', yLabel: 'GPU time (ms)' }, chartPalette('light'));
    const s = opt.series as Array<{ stack: string; data: Array<number | null> }>;
    expect(s.map((x) => x.stack)).toEqual(['total', 'total']);
    expect(s[1]!.data).toEqual([null, 3, 4]);
  });

  it('formatTick keeps labels short', () => {
    expect(formatTick(0)).toBe('0');
    expect(formatTick(12345)).toBe('12.3k');
    expect(formatTick(2_500_000)).toBe('2.5M');
    expect(formatTick(0.000123)).toBe('1.2e-4');
    expect(formatTick(0.5)).toBe('0.5');
  });
});
