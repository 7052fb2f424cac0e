// Builds the ECharts option for ParallelChart.vue: one vertical axis per column (hyperparameters,
// then a metric), one line per run. Pure and free of any ECharts runtime import, so the axis rules
// are unit-tested.
//
// Axis rules that matter for runs:
// - a hyperparameter with few distinct values (a grid: lr 0.1, 0.03, 0.01) is a category axis in
//   numeric order, so every value sits on its own tick and a missing one ('—', e.g. momentum of an
//   Adam run) is a place on the axis rather than a run left out;
// - one with many distinct values (a random search) is a value axis, logarithmic when its values
//   are all positive and span two decades or more (learning rates), and runs without a value on
//   it are left out (counted in `dropped`);
// - a metric is always a value axis (accuracy 0.71 and 0.712 are not categories), and the lines
//   are coloured by it, so the best runs stand out.

import type { ChartPalette } from '../../styles/theme';
import { formatTick, formatValue } from './axisTicks';

export type CellValue = number | string | boolean | null;

export interface ParallelColumn {
  key: string;
  /** Axis name, with units where it has them. */
  name: string;
  kind: 'hyperparameter' | 'metric';
}

export interface ParallelRow {
  id: string;
  /** One per column, in column order. */
  values: readonly CellValue[];
}

export interface LaidOutAxis {
  key: string;
  name: string;
  type: 'value' | 'log' | 'category';
  /** Category axes: the labels, bottom to top. */
  categories?: string[];
}

export interface ParallelLayout {
  axes: LaidOutAxis[];
  /** The drawn runs (ids) and their line, in the same order. */
  ids: string[];
  data: Array<Array<number | string>>;
  /** Runs left out for lacking a value on a value axis. */
  dropped: number;
}

/** At most this many distinct values and a hyperparameter axis is a category axis. */
export const CATEGORY_UP_TO = 12;
export const MISSING = '—';

/** A value as a category label: numbers to four significant digits. */
export function categoryLabel(v: CellValue): string {
  if (v === null || v === undefined) return MISSING;
  if (typeof v === 'number') return formatValue(v);
  return String(v);
}

/** 'log' when the numbers are all positive and span at least two decades. */
export function numericScale(values: readonly number[]): 'value' | 'log' {
  if (values.length < 2 || values.some((v) => !(v > 0))) return 'value';
  return Math.max(...values) / Math.min(...values) >= 100 ? 'log' : 'value';
}

function layOutAxis(column: ParallelColumn, values: readonly CellValue[]): LaidOutAxis {
  const present = values.filter((v) => v !== null && v !== undefined);
  const numbers = present.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const allNumeric = numbers.length === present.length && present.length > 0;
  const distinct = new Set(present.map((v) => JSON.stringify(v)));
  if (column.kind === 'metric' || (allNumeric && distinct.size > CATEGORY_UP_TO)) {
    return { key: column.key, name: column.name, type: numericScale(numbers) };
  }
  const sorted = allNumeric
    ? [...new Set(numbers)].sort((a, b) => a - b).map(categoryLabel)
    : [...new Set(present.map(categoryLabel))].sort((a, b) => a.localeCompare(b));
  const categories = [...new Set(sorted)];
  if (present.length < values.length) categories.unshift(MISSING);
  return { key: column.key, name: column.name, type: 'category', categories };
}

export function parallelLayout(columns: readonly ParallelColumn[], rows: readonly ParallelRow[]): ParallelLayout {
  const axes = columns.map((c, i) => layOutAxis(c, rows.map((r) => r.values[i] ?? null)));
  const ids: string[] = [];
  const data: Array<Array<number | string>> = [];
  let dropped = 0;
  for (const row of rows) {
    const line: Array<number | string> = [];
    let ok = true;
    axes.forEach((axis, i) => {
      const v = row.values[i] ?? null;
      if (axis.type === 'category') line.push(categoryLabel(v));
      else if (typeof v === 'number' && Number.isFinite(v) && (axis.type !== 'log' || v > 0)) line.push(v);
      else ok = false;
    });
    if (ok) {
      ids.push(row.id);
      data.push(line);
    } else dropped++;
  }
  return { axes, ids, data, dropped };
}

export interface ParallelGeometry {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Room around the axes: names above, the colour scale on the right. */
export const PARALLEL_GEOMETRY: ParallelGeometry = { left: 64, right: 110, top: 48, bottom: 30 };

/** Low to high metric: muted blue to bright orange, readable on both themes. */
const METRIC_COLOURS = ['#5b7bd5', '#3fb5a8', '#e8b73c', '#f06a3c'];

export function buildParallelOption(layout: ParallelLayout, palette: ChartPalette, colorBy: number | null): Record<string, unknown> {
  const g = PARALLEL_GEOMETRY;
  const colour = colorBy !== null && layout.axes[colorBy]?.type !== 'category' ? colorBy : null;
  const colourValues = colour === null ? [] : layout.data.map((d) => d[colour] as number);
  return {
    animation: false,
    textStyle: { fontFamily: 'inherit' },
    parallel: {
      ...g,
      parallelAxisDefault: {
        nameLocation: 'end',
        nameGap: 14,
        nameTextStyle: { color: palette.text, fontSize: 12 },
        axisLine: { lineStyle: { color: palette.axis } },
        axisTick: { lineStyle: { color: palette.axis } },
        axisLabel: { color: palette.muted, formatter: (v: number | string) => (typeof v === 'number' ? formatTick(v) : v) },
        splitLine: { show: false },
        // Drag along an axis to select a range of it (brushing); the selection filters the table.
        // Applied when the drag ends, not while it moves: the table then changes height, and the
        // chart below it would slide under the pointer mid-drag.
        areaSelectStyle: { width: 20, borderWidth: 1, color: palette.axis, opacity: 0.35 },
        realtime: false,
      },
    },
    parallelAxis: layout.axes.map((a, i) => ({
      dim: i,
      name: a.name,
      type: a.type,
      ...(a.type === 'category' ? { data: a.categories, boundaryGap: false } : { scale: true }),
    })),
    ...(colour !== null && colourValues.length > 0
      ? {
          visualMap: {
            type: 'continuous', dimension: colour, seriesIndex: 0, min: Math.min(...colourValues), max: Math.max(...colourValues),
            // The bar alone (its axis says what it is): end labels would sit on the last axis' ticks.
            right: 8, top: 'middle', itemWidth: 12, itemHeight: 120, calculable: false, text: ['', ''],
            inRange: { color: METRIC_COLOURS },
          },
        }
      : {}),
    series: [{
      type: 'parallel',
      data: layout.data,
      lineStyle: { width: 1.6, opacity: 0.75, ...(colour === null ? { color: palette.series[0] } : {}) },
      inactiveOpacity: 0.06,
      activeOpacity: 1,
      emphasis: { disabled: true },
    }],
  };
}
