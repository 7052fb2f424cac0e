// One image's view of an inspection: each module's output for that image with its per-sample
// shape ([C, H, W] or [F], PyTorch's module output without the batch axis), its range, and the
// gradient's size. What `convlab inspect` prints and what the app's layer strip labels.

import { rangeOf } from './render';
import { type InspectedModule, type Inspection, sampleOf } from './types';

export interface ModuleView {
  path: string;
  type: string;
  input: string;
  /** Per-sample shape: [C, H, W] for feature maps, [F] for vectors. */
  shape: number[];
  data: Float64Array;
  grad: Float64Array | null;
  min: number;
  max: number;
  mean: number;
  /** L2 norm of d(target)/d(this output); null without a target. */
  gradNorm: number | null;
}

export function moduleView(m: InspectedModule, n: number): ModuleView {
  const data = sampleOf(m.output.data, m.output.shape, n);
  const grad = m.output.grad ? sampleOf(m.output.grad, m.output.shape, n) : null;
  const r = rangeOf(data);
  return {
    path: m.path, type: m.type, input: m.input, shape: m.output.shape.slice(1), data, grad,
    min: r.min, max: r.max, mean: data.reduce((s, v) => s + v, 0) / Math.max(1, data.length),
    gradNorm: grad ? Math.sqrt(grad.reduce((s, v) => s + v * v, 0)) : null,
  };
}

export function moduleViews(inspection: Inspection, n: number): ModuleView[] {
  return inspection.modules.map((m) => moduleView(m, n));
}

/** Image n's logits. */
export function logitsOf(inspection: Inspection, n: number): Float64Array {
  const classes = inspection.logits.length / inspection.count;
  return inspection.logits.subarray(n * classes, (n + 1) * classes);
}
