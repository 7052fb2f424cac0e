// Where a chart's legend goes and how much room it takes. ECharts' 'scroll' legend shows one row
// and pages the rest behind arrows, which hides most layers of a gradient-norm chart; a 'plain'
// legend wraps onto more rows but then overlaps the plot unless the grid starts below it. So the
// rows are estimated from the names and the chart's width, the grid top follows, and paging is
// kept for legends that would eat the plot (a ResNet's sixty parameters).
//
// The estimate uses ECharts' default legend metrics (12 px text, a 25 px icon, 5 px between icon
// and text, 10 px between items) and a per-character width for the UI font; it errs wide, so a
// legend gets a row too many rather than overlapping.

export interface LegendLayout {
  /** False when the legend pages (ECharts 'scroll'); true when every name is visible. */
  plain: boolean;
  rows: number;
  /** Pixels from the chart's top to the plot area (legend rows plus the y axis name). */
  gridTop: number;
}

const ROW_HEIGHT = 22;
const AXIS_NAME_ROOM = 26;
const CHAR_WIDTH = 6.2;
const ITEM_CHROME = 25 + 5 + 10;
/** More rows than this and the legend pages instead. */
const MAX_ROWS = 3;

export function legendItemWidth(name: string): number {
  return ITEM_CHROME + CHAR_WIDTH * [...name].length;
}

/** Rows a plain legend needs for these names at this width (items flow left to right, wrapping). */
export function legendRows(names: readonly string[], width: number): number {
  if (names.length === 0) return 0;
  const usable = Math.max(1, width - 20);
  let rows = 1;
  let used = 0;
  for (const name of names) {
    const w = Math.min(usable, legendItemWidth(name));
    if (used > 0 && used + w > usable) {
      rows++;
      used = 0;
    }
    used += w;
  }
  return rows;
}

/** `width` 0 (not measured yet): a one-row paged legend until the chart knows its size. */
export function legendLayout(names: readonly string[], width: number, show = true): LegendLayout {
  if (!show || names.length === 0) return { plain: true, rows: 0, gridTop: AXIS_NAME_ROOM + 10 };
  if (!(width > 0)) return { plain: false, rows: 1, gridTop: ROW_HEIGHT + AXIS_NAME_ROOM + 10 };
  const rows = legendRows(names, width);
  const plain = rows <= MAX_ROWS;
  const shown = plain ? rows : 1;
  return { plain, rows: shown, gridTop: 6 + shown * ROW_HEIGHT + AXIS_NAME_ROOM };
}
