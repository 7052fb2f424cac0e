// Tune every conv layer of a model before training starts: autotuning needs to wait for the
// device, and the layers' ops are synchronous recorders, so it has to happen up front (like
// cudnn.benchmark's first iteration, but outside the step).

import type { Sequential } from '../../nn/sequential';
import type { Conv2dLayer } from '../../nn/conv2d';
import type { GpuTensor } from '../gpuTensor';
import type { WebGpuBackend } from '../webgpuBackend';

export async function tuneModel(be: WebGpuBackend, model: Sequential<GpuTensor> | Sequential<unknown>, input: readonly number[]): Promise<void> {
  // Every conv of the tree (inside residual blocks too), at the input shape it receives.
  for (const { layer, input: shape } of (model as Sequential<unknown>).modules(input)) {
    if (layer.type === 'conv2d') await be.tuneConv((layer as Conv2dLayer<unknown>).geometry(shape));
  }
  await be.saveTuning();
}
