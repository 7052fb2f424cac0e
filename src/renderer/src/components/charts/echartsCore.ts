// The one place that registers ECharts parts. Importing 'echarts' whole would pull every chart
// type and component into the renderer bundle; the lab needs lines and bars on a grid, and for
// many runs parallel coordinates (with a colour scale) and a scatter.

import { use, init, type EChartsType } from 'echarts/core';
import { BarChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, ParallelComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([
  LineChart, BarChart, ParallelChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, ParallelComponent,
  VisualMapContinuousComponent, CanvasRenderer,
]);

export { init as initChart };
export type { EChartsType };
