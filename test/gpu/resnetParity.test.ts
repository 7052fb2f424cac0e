// The WebGPU engine (f32) reproduces PyTorch's first 20 losses of ResNet-8 with batch norm on
// Fashion-MNIST from identical weights and batches, within 1e-3 relative.

import { beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { replayResNet, resnetFixture } from '../engine/nn/resnetTraining';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

let gpu: WebGpuBackend | null = null;
beforeAll(async () => {
  const ctx = await gpuContext();
  gpu = ctx ? new WebGpuBackend(ctx) : null;
});

describe('ResNet-8 with batch norm vs PyTorch (WebGPU)', () => {
  it.skipIf(noGpu)('matches the first 20 losses within 1e-3 relative', async () => {
    requireGpu(gpu);
    const { losses } = await replayResNet(gpu);
    expect(losses).toHaveLength(20);
    losses.forEach((loss, i) => {
      const want = resnetFixture.losses[i]!;
      expect(Math.abs(loss - want) / Math.abs(want), `step ${i + 1}: ${loss} vs PyTorch ${want}`).toBeLessThan(1e-3);
    });
  });
});
