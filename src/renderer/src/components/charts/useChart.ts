// Lifecycle shared by the chart components: create the ECharts instance on a host element,
// follow its size, redraw at most once per animation frame, and dispose on unmount.
//
// Why batch with requestAnimationFrame: during training, metrics arrive many times a second and
// several props may change in one tick; building the option once per frame keeps the main
// thread free (the UI tier measures long tasks). The instance itself is held in a plain
// variable, never in reactive state: Vue proxies around ECharts internals are slow and break it.

import { onBeforeUnmount, onMounted, watch, type Ref, type WatchSource } from 'vue';
import { activeTheme, chartPalette, type ChartPalette } from '../../styles/theme';
import { initChart, type EChartsType } from './echartsCore';

export function useChart(host: Ref<HTMLElement | null>, build: (palette: ChartPalette) => Record<string, unknown>, sources: WatchSource[]) {
  let chart: EChartsType | null = null;
  let frame = 0;
  let resizeObserver: ResizeObserver | null = null;

  function draw(): void {
    frame = 0;
    if (!chart) return;
    // notMerge: series may disappear (a run removed from the comparison); merging would keep them.
    chart.setOption(build(chartPalette(activeTheme.value)), { notMerge: true, lazyUpdate: false });
  }

  function schedule(): void {
    if (frame !== 0) return;
    frame = requestAnimationFrame(draw);
  }

  onMounted(() => {
    if (!host.value) return;
    chart = initChart(host.value, undefined, { renderer: 'canvas' });
    resizeObserver = new ResizeObserver(() => chart?.resize());
    resizeObserver.observe(host.value);
    draw();
  });

  watch([...sources, activeTheme], schedule);

  onBeforeUnmount(() => {
    if (frame !== 0) cancelAnimationFrame(frame);
    resizeObserver?.disconnect();
    chart?.dispose();
    chart = null;
  });

  return { redraw: schedule };
}
