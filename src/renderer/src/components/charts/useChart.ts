// Lifecycle shared by the chart components: create the ECharts instance on a host element once it
// has a size, follow that size, redraw from the data whenever it is visible again, and dispose on
// unmount.
//
// Why a chart never draws while it is hidden: views are kept alive (App.vue), so leaving one
// detaches its DOM while data keeps arriving. ECharts' tooltip, updated by a setOption on a
// detached host, reads an empty computed style and writes `position: relative` over the host's
// own layout; a resize there sets the canvas to 0×0. Both stuck, and every chart of the Train view
// came back blank with zero height. So: a draw asked for while the host is detached or has no
// size only marks the chart stale; it is drawn from its current series when it can be seen again,
// which four signals tell (whichever comes first): the KeepAlive `activated` hook, the
// ResizeObserver reporting a real size, the IntersectionObserver reporting it on screen, and a
// data change while visible. The host also has its own size in CSS (LineChart.vue), so nothing
// ECharts writes can collapse it.
//
// Why redraws go through one queue for the whole page, one chart per animation frame: a chart's
// setOption is 15-30 ms of main-thread work on a software-rendered machine, and the six training
// charts all change together. Queued, each frame does one chart's work and input is handled in
// between. A chart already waiting is not queued twice.
//
// Why merge when only the data changed: notMerge rebuilds every component (tooltip DOM, legend,
// axes) and is the larger part of a redraw. It is kept for when the option's structure changes
// (a series added or removed, an axis switched to log, the theme, the legend's rows), where
// merging would leave stale parts behind. Merging also keeps the user's legend toggles and zoom.
//
// The instance is held in a plain variable, never in reactive state: Vue proxies around ECharts
// internals are slow and break it.

import { onActivated, onBeforeUnmount, onMounted, watch, type Ref, type WatchSource } from 'vue';
import { activeTheme, chartPalette, type ChartPalette } from '../../styles/theme';
import { initChart, type EChartsType } from './echartsCore';

/** Draws waiting for their frame, oldest first (a Set keeps insertion order). */
const waiting = new Set<() => void>();
let pumpFrame = 0;

function pump(): void {
  pumpFrame = 0;
  const next = waiting.values().next();
  if (!next.done) {
    waiting.delete(next.value);
    next.value();
  }
  if (waiting.size > 0) pumpFrame = requestAnimationFrame(pump);
}

function enqueue(draw: () => void): void {
  waiting.add(draw);
  if (pumpFrame === 0) pumpFrame = requestAnimationFrame(pump);
}

/** The option without its data arrays: equal keys mean a merge gives the same chart as a rebuild. */
export function optionStructure(option: Record<string, unknown>): string {
  return JSON.stringify(option, (key, value: unknown) => (key === 'data' ? undefined : value));
}

export interface ChartSize {
  width: number;
  height: number;
}

/** What a chart tells about itself after a draw (tests and data attributes read it). */
export interface DrawnChart {
  /** The instance, for reading what it drew (tick labels); never stored in reactive state. */
  chart: EChartsType;
  size: ChartSize;
}

export function useChart(
  host: Ref<HTMLElement | null>,
  build: (palette: ChartPalette, size: ChartSize) => Record<string, unknown>,
  sources: WatchSource[],
  afterDraw?: (drawn: DrawnChart) => void,
) {
  let chart: EChartsType | null = null;
  let structure = '';
  /** The series changed (or the chart was never drawn) since the last draw. */
  let stale = true;
  let resizeObserver: ResizeObserver | null = null;
  let intersectionObserver: IntersectionObserver | null = null;
  let disposed = false;

  /** The host's size when it is in the document and laid out; null while it cannot be drawn. */
  function visibleSize(): ChartSize | null {
    const el = host.value;
    if (!el || !el.isConnected) return null;
    const width = el.clientWidth;
    const height = el.clientHeight;
    return width > 0 && height > 0 ? { width, height } : null;
  }

  function draw(): void {
    if (disposed) return;
    const size = visibleSize();
    if (!size) return; // still stale: drawn when it shows again
    if (!chart) chart = initChart(host.value!, undefined, { renderer: 'canvas' });
    else if (chart.getWidth() !== size.width || chart.getHeight() !== size.height) chart.resize();
    const option = build(chartPalette(activeTheme.value), size);
    const key = optionStructure(option);
    // Arrays (series data, category lists) are replaced, not merged, by ECharts' merge.
    chart.setOption(option, { notMerge: key !== structure, lazyUpdate: false });
    structure = key;
    stale = false;
    afterDraw?.({ chart, size });
  }

  /** The data changed: draw soon if the chart can be seen, else when it can. */
  function schedule(): void {
    stale = true;
    if (visibleSize()) enqueue(draw);
  }

  /** It may have become visible or changed size: catch up if stale, follow the size if not. */
  function reveal(): void {
    const size = visibleSize();
    if (!size) return;
    if (stale || !chart || chart.getWidth() !== size.width || chart.getHeight() !== size.height) enqueue(draw);
  }

  onMounted(() => {
    const el = host.value;
    if (!el) return;
    resizeObserver = new ResizeObserver(reveal);
    resizeObserver.observe(el);
    if (typeof IntersectionObserver === 'function') {
      intersectionObserver = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) reveal();
      });
      intersectionObserver.observe(el);
    }
    schedule();
  });

  // Back in a kept-alive view: redraw from the series as they are now (they kept growing).
  onActivated(() => {
    stale = true;
    reveal();
  });

  watch([...sources, activeTheme], schedule);

  onBeforeUnmount(() => {
    disposed = true;
    waiting.delete(draw);
    resizeObserver?.disconnect();
    intersectionObserver?.disconnect();
    chart?.dispose();
    chart = null;
  });

  return { redraw: schedule };
}
