// The PyTorch-made residual model fixture (test/fixtures/engine/residual_model.json) through the
// WGSL kernels: logits, loss, every gradient and the running statistics within f32 tolerance.

import { beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { residualFixture, runResidualFixture, worstError } from '../engine/nn/residualFixture';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

let gpu: WebGpuBackend | null = null;
beforeAll(async () => {
  const ctx = await gpuContext();
  gpu = ctx ? new WebGpuBackend(ctx) : null;
});

describe('residual model against PyTorch (WebGPU)', () => {
  it.skipIf(noGpu).each(['im2col', 'implicit'] as const)('forward and backward with the %s conv path', async (algo) => {
    requireGpu(gpu);
    const be = new WebGpuBackend(gpu.ctx, { convAlgorithm: algo });
    const f = residualFixture();
    const { ratio, where } = worstError(await runResidualFixture(be, f), f, 1e-4, 1e-4);
    expect(ratio, where).toBeLessThan(1);
  });
});
