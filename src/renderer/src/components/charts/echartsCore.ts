// The one place that registers ECharts parts. Importing 'echarts' whole would pull every chart
// type and component into the renderer bundle; the lab needs lines and bars on a grid only.

import { use, init, type EChartsType } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);

export { init as initChart };
export type { EChartsType };
