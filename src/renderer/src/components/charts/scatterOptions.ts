// Builds the ECharts option for ScatterChart.vue: one point per run, a hyperparameter against a
// metric. Pure, so the axis rules are unit-tested: numbers on a value axis, logarithmic where they
// are all positive and span two decades or more (learning rates, weight decay); strings and
// booleans (optimizer, augmentation) on a category axis in sorted order.

import type { ChartPalette } from '../../styles/theme';
import { formatTick, formatValue } from './axisTicks';
import { categoryLabel, numericScale, type CellValue } from './parallelOptions';
import { escapeHtml } from './tooltip';

export interface ScatterPoint {
  id: string;
  /** What the tooltip names the point by (a run's differing hyperparameters or its name). */
  label: string;
  x: CellValue;
  y: CellValue;
}

export interface ScatterLayout {
  xType: 'value' | 'log' | 'category';
  yType: 'value' | 'log';
  categories?: string[];
  ids: string[];
  labels: string[];
  data: Array<[number | string, number]>;
  /** Points left out for lacking a drawable x or y. */
  dropped: number;
}

export function scatterLayout(points: readonly ScatterPoint[]): ScatterLayout {
  const ys = points.map((p) => p.y).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const xsPresent = points.map((p) => p.x).filter((v) => v !== null && v !== undefined);
  const xNumbers = xsPresent.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const numericX = xsPresent.length > 0 && xNumbers.length === xsPresent.length;
  const xType = numericX ? numericScale(xNumbers) : 'category';
  const yType = numericScale(ys);
  const categories = numericX ? undefined : [...new Set(points.map((p) => categoryLabel(p.x)))].sort((a, b) => a.localeCompare(b));
  const out: ScatterLayout = { xType, yType, ...(categories ? { categories } : {}), ids: [], labels: [], data: [], dropped: 0 };
  for (const p of points) {
    const y = typeof p.y === 'number' && Number.isFinite(p.y) && (yType !== 'log' || p.y > 0) ? p.y : null;
    let x: number | string | null;
    if (xType === 'category') x = categoryLabel(p.x);
    else x = typeof p.x === 'number' && Number.isFinite(p.x) && (xType !== 'log' || p.x > 0) ? p.x : null;
    if (x === null || y === null) {
      out.dropped++;
      continue;
    }
    out.ids.push(p.id);
    out.labels.push(p.label);
    out.data.push([x, y]);
  }
  return out;
}

export function buildScatterOption(layout: ScatterLayout, input: { xLabel: string; yLabel: string }, palette: ChartPalette): Record<string, unknown> {
  const axisCommon = {
    nameTextStyle: { color: palette.muted },
    axisLine: { lineStyle: { color: palette.axis } },
    splitLine: { lineStyle: { color: palette.grid } },
    axisLabel: { color: palette.muted, formatter: (v: number | string) => (typeof v === 'number' ? formatTick(v) : v), hideOverlap: true },
  };
  return {
    animation: false,
    textStyle: { fontFamily: 'inherit' },
    grid: { left: 64, right: 24, top: 36, bottom: 48 },
    tooltip: {
      trigger: 'item',
      backgroundColor: palette.tooltipBg,
      borderColor: palette.axis,
      textStyle: { color: palette.text },
      formatter: (p: { dataIndex: number }) => {
        const [x, y] = layout.data[p.dataIndex] ?? [];
        const xText = typeof x === 'number' ? formatValue(x) : String(x);
        return `<b>${escapeHtml(layout.labels[p.dataIndex] ?? '')}</b><br>${escapeHtml(input.xLabel)}: ${escapeHtml(xText)}<br>${escapeHtml(input.yLabel)}: ${formatValue(y as number)}`;
      },
    },
    xAxis: {
      type: layout.xType,
      name: input.xLabel,
      nameLocation: 'middle',
      nameGap: 28,
      ...axisCommon,
      ...(layout.xType === 'category' ? { data: layout.categories } : { scale: true }),
    },
    yAxis: { type: layout.yType, name: input.yLabel, nameLocation: 'end', scale: true, ...axisCommon },
    series: [{ type: 'scatter', data: layout.data, symbolSize: 9, itemStyle: { color: palette.series[0], opacity: 0.8 }, emphasis: { scale: 1.4 } }],
  };
}
