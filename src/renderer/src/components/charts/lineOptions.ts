// Builds the ECharts option for LineChart.vue. Kept out of the component (and free of any
// ECharts runtime import) so the shaping rules are unit-testable without a DOM.
//
// Choices that matter for training curves:
// - x is a 'value' axis (steps, epochs or seconds are numbers, not categories), so runs with
//   different x positions overlay correctly;
// - sampling 'minmax' keeps loss spikes that LTTB can drop (DESIGN.md, Charts);
// - animation off: live series redraw several times a second;
// - a log y axis cannot show values <= 0, so those become gaps instead of breaking the axis.

import type { ChartPalette } from '../../styles/theme';
import { emaSmooth, type NumberArray } from './smoothing';

export interface LineSeries {
  name: string;
  x: NumberArray;
  y: NumberArray;
  color?: string;
  /** Dashed line, e.g. validation beside training. */
  dashed?: boolean;
}

export interface LineChartInput {
  series: readonly LineSeries[];
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  smoothing?: number;
}

/** [x, y] pairs ECharts can draw; y null means a gap. */
export type Point = [number, number | null];

export function seriesPoints(series: LineSeries, smoothing: number, logY: boolean): Point[] {
  const n = Math.min(series.x.length, series.y.length);
  const ys = smoothing > 0 ? emaSmooth(series.y, smoothing) : series.y;
  const points: Point[] = [];
  for (let i = 0; i < n; i++) {
    const x = series.x[i];
    if (!Number.isFinite(x)) continue;
    const y = ys[i];
    const drawable = Number.isFinite(y) && (!logY || y > 0);
    points.push([x, drawable ? y : null]);
  }
  return points;
}

/** Number of points with a drawable y: what the chart's `data-points` attribute reports. */
export function countDrawn(pointsPerSeries: readonly Point[][]): number {
  let count = 0;
  for (const points of pointsPerSeries) for (const p of points) if (p[1] !== null) count++;
  return count;
}

/** Short, readable tick labels: 0.000123 → 1.23e-4, 12345 → 12.3k. */
export function formatTick(value: number): string {
  if (!Number.isFinite(value)) return '';
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs >= 1e6) return `${+(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${+(value / 1e3).toPrecision(3)}k`;
  if (abs < 1e-3) return value.toExponential(1);
  return `${+value.toPrecision(4)}`;
}

export function buildLineOption(input: LineChartInput, palette: ChartPalette, points: Point[][]): Record<string, unknown> {
  const axisCommon = {
    nameTextStyle: { color: palette.muted },
    axisLine: { lineStyle: { color: palette.axis } },
    axisLabel: { color: palette.muted, formatter: formatTick },
    splitLine: { lineStyle: { color: palette.grid } },
  };
  return {
    animation: false,
    textStyle: { fontFamily: 'inherit' },
    color: palette.series,
    grid: { left: 64, right: 20, top: 64, bottom: 48 },
    legend: { top: 4, type: 'scroll', textStyle: { color: palette.text }, inactiveColor: palette.axis },
    tooltip: {
      trigger: 'axis',
      backgroundColor: palette.tooltipBg,
      borderColor: palette.axis,
      textStyle: { color: palette.text },
      valueFormatter: (v: unknown) => (typeof v === 'number' ? formatTick(v) : '—'),
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
    xAxis: { type: 'value', name: input.xLabel, nameLocation: 'middle', nameGap: 28, scale: true, ...axisCommon },
    yAxis: {
      type: input.logY ? 'log' : 'value',
      name: input.yLabel,
      nameLocation: 'end',
      scale: !input.logY,
      ...axisCommon,
    },
    series: input.series.map((s, i) => ({
      type: 'line',
      name: s.name,
      data: points[i],
      showSymbol: false,
      sampling: 'minmax',
      connectNulls: false,
      lineStyle: { width: 1.5, type: s.dashed ? 'dashed' : 'solid', ...(s.color ? { color: s.color } : {}) },
      ...(s.color ? { itemStyle: { color: s.color } } : {}),
    })),
  };
}
