// Every WGSL kernel through the conformance runner, on every PyTorch-made case file: exactly
// what `convlab verify` checks, within each case's tolerance.

import { beforeAll, describe, expect, it } from 'vitest';
import { registerAllCaseRunners } from '../../src/engine/verify/allRunners';
import { runCase } from '../../src/engine/verify/runCase';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { fixtureCases } from '../helpers/caseFiles';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

registerAllCaseRunners();
let gpu: WebGpuBackend | null = null;
beforeAll(async () => {
  const ctx = await gpuContext();
  gpu = ctx ? new WebGpuBackend(ctx) : null;
});

describe('conformance cases on WebGPU', () => {
  it.skipIf(noGpu).each(fixtureCases().map((c) => [`${c.op} ${c.name}`, c] as const))('%s', async (_name, c) => {
    requireGpu(gpu);
    const r = await runCase(gpu, c);
    expect(r.error).toBeUndefined();
    expect(r.checks.length).toBeGreaterThan(0);
    expect(r.pass).toBe(true);
  });
});
