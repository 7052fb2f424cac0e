// Builds the ECharts option for LineChart.vue. Kept out of the component (and free of any
// ECharts runtime import) so the shaping rules are unit-testable without a DOM.
//
// Choices that matter for training curves:
// - x is a numeric axis (steps, epochs or seconds are numbers, not categories), so runs with
//   different x positions overlay correctly; its kind decides the ticks (axisTicks.ts);
// - smoothing is for noisy per-step training curves only: a series says `smooth: false`
//   (validation, evaluation), and on an epoch axis nothing is smoothed unless a series asks;
//   a smoothed point keeps its raw value as a third number, which the tooltip shows beside it;
// - sampling 'minmax' keeps loss spikes that LTTB can drop (DESIGN.md, Charts);
// - animation off: live series redraw several times a second;
// - a log y axis cannot show values <= 0, so those become gaps instead of breaking the axis;
// - the legend shows every name when they fit in a few rows (legendLayout.ts).

import type { ChartPalette } from '../../styles/theme';
import { formatTick, formatX, inferXKind, xAxisFor, xRange, type XKind } from './axisTicks';
import { legendLayout } from './legendLayout';
import { emaSmooth, emaSmoothX, type NumberArray } from './smoothing';
import { lineTooltipFormatter } from './tooltip';

export { formatTick } from './axisTicks';

export interface LineSeries {
  name: string;
  x: NumberArray;
  y: NumberArray;
  color?: string;
  /** Dashed line, e.g. validation beside training. */
  dashed?: boolean;
  /** Whether the chart's smoothing applies. Default: yes, except on an epoch axis. Validation and
   *  evaluation curves say false: they are measured once, not noisy per-batch estimates. */
  smooth?: boolean;
  /** 'right' puts the series on the chart's second y axis (LineChartInput.yLabelRight). */
  yAxis?: 'left' | 'right';
}

export interface LineChartInput {
  series: readonly LineSeries[];
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  /** A logarithmic x axis (points at x <= 0 are left out): steps or seconds over decades. */
  logX?: boolean;
  smoothing?: number;
  /** What x counts; default: inferred from xLabel ('step…', 'epoch…', '…(s)'). */
  xKind?: XKind;
  /** Name of a second, right-hand y axis (e.g. 'accuracy (%)' beside 'loss'). */
  yLabelRight?: string;
  /** false: no legend on the chart (a page shows its own, e.g. one legend for several charts). */
  legend?: boolean;
  /** Chart width in px, for the legend layout (0 or absent: not measured yet). */
  width?: number;
}

/** [x, y] pairs ECharts can draw, y null for a gap; smoothed points carry [x, smoothed, raw]. */
export type Point = [number, number | null] | [number, number | null, number | null];

/** Series with at most this many points draw a symbol at each. */
const SYMBOLS_UP_TO = 40;

/** The EMA weight a series gets under the chart's smoothing setting. */
export function smoothingOf(series: LineSeries, smoothing: number, kind: XKind): number {
  const wanted = series.smooth ?? kind !== 'epoch';
  return wanted && smoothing > 0 ? smoothing : 0;
}

/** `xUnit`: smooth by distance along x with this spacing (emaSmoothX) instead of by point;
 *  `logX`: leave out points a log x axis cannot show. */
export function seriesPoints(series: LineSeries, smoothing: number, logY: boolean, opts: { logX?: boolean; xUnit?: number } = {}): Point[] {
  const n = Math.min(series.x.length, series.y.length);
  const smoothed = smoothing > 0 ? (opts.xUnit !== undefined ? emaSmoothX(series.x, series.y, smoothing, opts.xUnit) : emaSmooth(series.y, smoothing)) : null;
  const drawable = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && (!logY || v > 0);
  const points: Point[] = [];
  for (let i = 0; i < n; i++) {
    const x = series.x[i]!;
    if (!Number.isFinite(x) || (opts.logX && x <= 0)) continue;
    const raw = series.y[i];
    if (smoothed) {
      const y = smoothed[i];
      points.push([x, drawable(y) ? y : null, drawable(raw) ? raw : null]);
    } else {
      points.push([x, drawable(raw) ? raw : null]);
    }
  }
  return points;
}

/** Number of points with a drawable y: what the chart's `data-points` attribute reports. */
export function countDrawn(pointsPerSeries: readonly Point[][]): number {
  let count = 0;
  for (const points of pointsPerSeries) for (const p of points) if (p[1] !== null) count++;
  return count;
}

/** The largest x with a drawn point (NaN when none): the chart's `data-last-x`. */
export function lastDrawnX(pointsPerSeries: readonly Point[][]): number {
  let last = NaN;
  for (const points of pointsPerSeries) {
    for (let i = points.length - 1; i >= 0; i--) {
      const p = points[i]!;
      if (p[1] === null) continue;
      if (!(p[0] <= last)) last = p[0];
      break;
    }
  }
  return last;
}

export function buildLineOption(input: LineChartInput, palette: ChartPalette, points: Point[][]): Record<string, unknown> {
  const kind = input.xKind ?? inferXKind(input.xLabel);
  const legend = legendLayout(input.series.map((s) => s.name), input.width ?? 0, input.legend ?? true);
  const right = input.yLabelRight !== undefined;
  const axisCommon = {
    nameTextStyle: { color: palette.muted },
    axisLine: { lineStyle: { color: palette.axis } },
    splitLine: { lineStyle: { color: palette.grid } },
  };
  const xSpecific = input.logX
    ? { type: 'log', axisLabel: { formatter: (v: number) => formatX(kind === 'step' || kind === 'epoch' ? 'value' : kind, v, v < 1 ? 0.1 : 1), hideOverlap: true } }
    : xAxisFor(kind, xRange(points.map((p) => p.map((q) => q[0]))));
  const yAxis = (name: string, side: 'left' | 'right') => ({
    type: input.logY ? 'log' : 'value',
    name,
    nameLocation: 'end',
    position: side,
    scale: !input.logY,
    ...axisCommon,
    axisLabel: { color: palette.muted, formatter: formatTick },
    // One grid of lines is enough: the right axis' lines would not line up with the left's.
    ...(side === 'right' ? { splitLine: { show: false } } : {}),
  });
  return {
    animation: false,
    textStyle: { fontFamily: 'inherit' },
    color: palette.series,
    grid: { left: 64, right: right ? 56 : 20, top: legend.gridTop, bottom: 48 },
    legend: {
      show: input.legend ?? true,
      top: 4,
      type: legend.plain ? 'plain' : 'scroll',
      itemGap: 10,
      textStyle: { color: palette.text },
      inactiveColor: palette.axis,
      pageTextStyle: { color: palette.muted },
    },
    tooltip: {
      trigger: 'axis',
      backgroundColor: palette.tooltipBg,
      borderColor: palette.axis,
      textStyle: { color: palette.text },
      formatter: lineTooltipFormatter(kind),
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
    xAxis: {
      name: input.xLabel,
      nameLocation: 'middle',
      nameGap: 28,
      scale: kind !== 'seconds' && !input.logX,
      ...axisCommon,
      ...xSpecific,
      axisLabel: { color: palette.muted, ...(xSpecific.axisLabel as object) },
    },
    yAxis: right ? [yAxis(input.yLabel, 'left'), yAxis(input.yLabelRight!, 'right')] : yAxis(input.yLabel, 'left'),
    series: input.series.map((s, i) => ({
      type: 'line',
      name: s.name,
      data: points[i],
      ...(right ? { yAxisIndex: s.yAxis === 'right' ? 1 : 0 } : {}),
      // Sparse curves (validation once per epoch) show their points: a single one would be invisible.
      showSymbol: (points[i]?.length ?? 0) <= SYMBOLS_UP_TO,
      symbolSize: 5,
      sampling: 'minmax',
      connectNulls: false,
      lineStyle: { width: 1.5, type: s.dashed ? 'dashed' : 'solid', ...(s.color ? { color: s.color } : {}) },
      ...(s.color ? { itemStyle: { color: s.color } } : {}),
    })),
  };
}
