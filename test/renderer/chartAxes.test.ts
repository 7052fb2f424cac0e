// CPU tier: how chart axes read (whole steps, time since the start, the wall clock), how much room
// a legend takes, and what the hover tooltip says (raw beside smoothed, names escaped).
import { describe, expect, it } from 'vitest';
import { describeX, formatSeconds, formatValue, formatX, inferXKind, niceTimeStep, xAxisFor } from '../../src/renderer/src/components/charts/axisTicks';
import { legendLayout, legendRows } from '../../src/renderer/src/components/charts/legendLayout';
import { escapeHtml, formatLineTooltip } from '../../src/renderer/src/components/charts/tooltip';

describe('x axis kinds', () => {
  it('are inferred from the axis names callers already pass', () => {
    expect(inferXKind('step')).toBe('step');
    expect(inferXKind('epoch')).toBe('epoch');
    expect(inferXKind('time since start (s)')).toBe('seconds');
    expect(inferXKind('wall-clock time')).toBe('clock');
    expect(inferXKind('learning rate')).toBe('value');
  });

  it('step and epoch ticks are whole numbers only', () => {
    expect(formatX('step', 12)).toBe('12');
    expect(formatX('step', 2.5)).toBe('');
    expect(formatX('epoch', 0.5)).toBe('');
    expect(xAxisFor('step', [1, 6])).toMatchObject({ type: 'value', minInterval: 1 });
  });

  it('time since the start reads in seconds, then minutes, then hours', () => {
    expect(formatSeconds(0)).toBe('0 s');
    expect(formatSeconds(45)).toBe('45 s');
    expect(formatSeconds(150, 30)).toBe('2:30');
    expect(formatSeconds(3900, 600)).toBe('1:05:00');
    expect(formatSeconds(30, 60)).toBe('0:30');
    expect(describeX('seconds', 90)).toBe('1:30 since start');
  });

  it('picks round tick spacings for any duration, never milliseconds since 1970', () => {
    expect(niceTimeStep(12)).toBe(2);
    expect(niceTimeStep(100)).toBe(30);
    expect(niceTimeStep(1000)).toBe(300);
    expect(niceTimeStep(20_000)).toBe(3600);
    const axis = xAxisFor('seconds', [3.2, 95]) as { interval: number; min: number; axisLabel: { formatter: (v: number) => string } };
    expect(axis.interval).toBe(30);
    expect(axis.min).toBe(0);
    expect(axis.axisLabel.formatter(90)).toBe('1:30');
  });

  it('the wall clock uses a time axis', () => {
    expect(xAxisFor('clock', null)).toMatchObject({ type: 'time' });
    expect(formatX('clock', new Date(2026, 0, 2, 14, 5, 30).getTime())).toBe('14:05:30');
  });

  it('values to read keep four significant digits', () => {
    expect(formatValue(0.00011423)).toBe('0.0001142');
    expect(formatValue(2.302585)).toBe('2.303');
    expect(formatValue(NaN)).toBe('—');
  });
});

describe('legend layout', () => {
  const grads = ['conv2d #0 weight', 'conv2d #0 bias', 'conv2d #3 weight', 'conv2d #3 bias', 'linear #7 weight', 'linear #7 bias'];

  it('wraps a reference-size model onto a few rows instead of paging', () => {
    const narrow = legendLayout(grads, 340);
    expect(narrow.plain).toBe(true);
    expect(narrow.rows).toBeGreaterThan(1);
    const wide = legendLayout(grads, 1100);
    expect(wide.rows).toBe(1);
    expect(wide.gridTop).toBeLessThan(narrow.gridTop);
  });

  it('pages a legend that would eat the plot, and before the width is known', () => {
    const many = Array.from({ length: 60 }, (_, i) => `conv2d #${i}.body.0 weight`);
    expect(legendLayout(many, 500)).toMatchObject({ plain: false, rows: 1 });
    expect(legendLayout(grads, 0).plain).toBe(false);
    expect(legendRows([], 300)).toBe(0);
  });
});

describe('line tooltip', () => {
  it('shows the x in the axis terms, smoothed values with their raw value, unsmoothed values alone', () => {
    const html = formatLineTooltip('step', [
      { seriesName: 'train loss', marker: '', data: [28, 0.5, 0.4567891] },
      { seriesName: 'validation loss', marker: '', data: [28, 0.2213] },
      { seriesName: 'gap', marker: '', data: [28, null] },
    ]);
    expect(html).toContain('step 28');
    expect(html).toContain('train loss: <b>0.5</b> <span style="opacity:.7">(raw 0.4568)</span>');
    expect(html).toContain('validation loss: <b>0.2213</b></div>');
    expect(html).not.toContain('gap');
  });

  it('escapes names, which can be run names typed by the user', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)> & "q"')).toBe('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;');
    expect(formatLineTooltip('value', [{ seriesName: '<b>run</b>', data: [1, 2] }])).not.toContain('<b>run</b>');
  });
});
