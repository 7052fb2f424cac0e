// Lifecycle shared by the chart components: create the ECharts instance on a host element,
// follow its size, redraw when a source changes, and dispose on unmount.
//
// Why redraws go through one queue for the whole page, one chart per animation frame: a chart's
// setOption is 15-30 ms of main-thread work on a software-rendered machine (several times that
// in wall time when SwiftShader's threads take the cores), and the six training charts all change
// together (new steps, a new run clearing them, a theme switch). Drawn in one frame they were one
// 100-250 ms task (the UI tier measures long tasks); queued, each frame does one chart's work and
// input is handled in between. A chart already waiting is not queued twice.
//
// Why merge when only the data changed: notMerge rebuilds every component (tooltip DOM, legend,
// axes) and is the larger part of a redraw. It is kept for when the option's structure changes
// (a series added or removed, an axis switched to log, the theme), where merging would leave
// stale parts behind. Merging also keeps the user's legend toggles and zoom across live updates.
//
// The instance is held in a plain variable, never in reactive state: Vue proxies around ECharts
// internals are slow and break it.

import { onBeforeUnmount, onMounted, watch, type Ref, type WatchSource } from 'vue';
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

export function useChart(host: Ref<HTMLElement | null>, build: (palette: ChartPalette) => Record<string, unknown>, sources: WatchSource[]) {
  let chart: EChartsType | null = null;
  let structure = '';
  let resizeObserver: ResizeObserver | null = null;

  function draw(): void {
    if (!chart) return;
    const option = build(chartPalette(activeTheme.value));
    const key = optionStructure(option);
    // Arrays (series data, category lists) are replaced, not merged, by ECharts' merge.
    chart.setOption(option, { notMerge: key !== structure, lazyUpdate: false });
    structure = key;
  }

  function schedule(): void {
    enqueue(draw);
  }

  onMounted(() => {
    if (!host.value) return;
    chart = initChart(host.value, undefined, { renderer: 'canvas' });
    resizeObserver = new ResizeObserver(() => chart?.resize());
    resizeObserver.observe(host.value);
    schedule();
  });

  watch([...sources, activeTheme], schedule);

  onBeforeUnmount(() => {
    waiting.delete(draw);
    resizeObserver?.disconnect();
    chart?.dispose();
    chart = null;
  });

  return { redraw: schedule };
}
