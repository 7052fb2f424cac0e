// ECharts option for StackedBarChart.vue (kernel GPU time per layer, stacked by phase; class
// histograms with a single stack). Pure, like lineOptions.ts, so it is testable without a DOM.

import type { ChartPalette } from '../../styles/theme';
import { formatTick } from './axisTicks';
import { legendLayout } from './legendLayout';

export interface BarStack {
  /** Legend name of this stack part, e.g. 'forward', 'grad-input', 'grad-weight'. */
  name: string;
  /** One value per category; null or non-finite means "no bar". */
  values: ReadonlyArray<number | null>;
  color?: string;
}

export interface StackedBarInput {
  categories: readonly string[];
  stacks: readonly BarStack[];
  xLabel: string;
  yLabel: string;
  /** Bars grow to the right with categories on the y axis: better for many long layer names. */
  horizontal?: boolean;
  /** Chart width in px, for the legend layout (0 or absent: not measured yet). */
  width?: number;
}

export function countBars(stacks: readonly BarStack[]): number {
  let count = 0;
  for (const s of stacks) for (const v of s.values) if (v !== null && Number.isFinite(v)) count++;
  return count;
}

export function buildBarOption(input: StackedBarInput, palette: ChartPalette): Record<string, unknown> {
  const axisCommon = {
    nameTextStyle: { color: palette.muted },
    axisLine: { lineStyle: { color: palette.axis } },
    axisLabel: { color: palette.muted },
    splitLine: { lineStyle: { color: palette.grid } },
  };
  // Every category named (layer names are the point of the chart), slanted when they would not fit.
  const slanted = !input.horizontal && input.categories.length > 3;
  const categoryAxis = {
    type: 'category',
    data: [...input.categories],
    ...axisCommon,
    axisLabel: { color: palette.muted, interval: 0, rotate: slanted ? 30 : 0 },
  };
  const valueAxis = { type: 'value', ...axisCommon, axisLabel: { color: palette.muted, formatter: formatTick } };
  const xAxis = input.horizontal
    ? { ...valueAxis, name: input.yLabel, nameLocation: 'middle', nameGap: 28 }
    : { ...categoryAxis, name: input.xLabel, nameLocation: 'middle', nameGap: slanted ? 52 : 28 };
  const legend = legendLayout(input.stacks.map((s) => s.name), input.width ?? 0, input.stacks.length > 1);
  const yAxis = input.horizontal
    ? { ...categoryAxis, name: input.xLabel, inverse: true }
    : { ...valueAxis, name: input.yLabel, nameLocation: 'end' };
  return {
    animation: false,
    textStyle: { fontFamily: 'inherit' },
    color: palette.series,
    grid: { left: input.horizontal ? 120 : 64, right: 20, top: legend.gridTop, bottom: slanted ? 72 : 48, containLabel: input.horizontal === true },
    legend: {
      top: 4,
      type: legend.plain ? 'plain' : 'scroll',
      show: input.stacks.length > 1,
      textStyle: { color: palette.text },
      inactiveColor: palette.axis,
      pageTextStyle: { color: palette.muted },
    },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      backgroundColor: palette.tooltipBg,
      borderColor: palette.axis,
      textStyle: { color: palette.text },
      valueFormatter: (v: unknown) => (typeof v === 'number' ? formatTick(v) : '—'),
    },
    xAxis,
    yAxis,
    series: input.stacks.map((s) => ({
      type: 'bar',
      name: s.name,
      stack: 'total',
      data: s.values.map((v) => (v !== null && Number.isFinite(v) ? v : null)),
      barMaxWidth: 36,
      ...(s.color ? { itemStyle: { color: s.color } } : {}),
    })),
  };
}
