// The hover tooltip of a line chart: the x value in the axis' own terms ("step 12", "1:30 since
// start"), then each series' value; a smoothed series shows its raw value beside the smoothed one,
// so smoothing never hides what was measured. Names can be user text (run names in Compare), and
// ECharts puts the formatter's string into the page as HTML, so every name is escaped.

import { describeX, formatValue, type XKind } from './axisTicks';

/** What ECharts passes per series under trigger 'axis' (the fields used here). */
export interface TooltipParam {
  marker?: string;
  seriesName?: string;
  data?: unknown;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function value(v: unknown): string {
  return typeof v === 'number' ? formatValue(v) : '—';
}

/** One line per series with a value at the hovered x; a raw value only where it was smoothed. */
export function formatLineTooltip(kind: XKind, params: readonly TooltipParam[]): string {
  const rows: string[] = [];
  let x: number | null = null;
  for (const p of params) {
    const data = Array.isArray(p.data) ? (p.data as unknown[]) : null;
    if (!data || typeof data[1] !== 'number') continue;
    if (x === null && typeof data[0] === 'number') x = data[0];
    const raw = data.length > 2 ? ` <span style="opacity:.7">(raw ${value(data[2])})</span>` : '';
    rows.push(`<div data-tooltip-series="${escapeHtml(p.seriesName ?? '')}">${p.marker ?? ''}${escapeHtml(p.seriesName ?? '')}: <b>${value(data[1])}</b>${raw}</div>`);
  }
  if (rows.length === 0) return '';
  const head = x === null ? '' : `<div style="opacity:.8;margin-bottom:2px">${escapeHtml(describeX(kind, x))}</div>`;
  return head + rows.join('');
}

export function lineTooltipFormatter(kind: XKind): (params: unknown) => string {
  return (params) => formatLineTooltip(kind, (Array.isArray(params) ? params : [params]) as TooltipParam[]);
}
