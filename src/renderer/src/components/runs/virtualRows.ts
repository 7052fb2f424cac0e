// Which rows of a long list to render: a virtual list keeps only the rows in view (plus a few
// either side) in the DOM and stands in for the rest with two spacers of the right height, so
// 500 runs cost what 30 do. Rows have one fixed height (the table's CSS says the same number).
// Pure; the component feeds it the scroll position and the viewport's height.

export interface RowWindow {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Pixels of the spacer above and below the rendered rows. */
  padTop: number;
  padBottom: number;
}

export function rowWindow(count: number, rowHeight: number, scrollTop: number, viewport: number, overscan = 8): RowWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  // Before the viewport is measured (0), render a screenful rather than nothing.
  const visible = Math.ceil((viewport > 0 ? viewport : 800) / rowHeight);
  const first = Math.min(count - 1, Math.max(0, Math.floor(scrollTop / rowHeight)));
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight };
}
