// The pool WGSL kernels against PyTorch-made fixtures (test/fixtures/cases/pools.json), within
// each case's tolerance.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerAllCaseRunners } from '../../src/engine/verify/allRunners';
import { runCase } from '../../src/engine/verify/runCase';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { parseCaseFile, type ParsedCase } from '../../src/shared/cases';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

const cases = parseCaseFile(readFileSync(join(__dirname, '../fixtures/cases/pools.json'), 'utf8')).cases.filter(
  (c): c is ParsedCase => c.kind === 'case',
);
registerAllCaseRunners();

let gpu: WebGpuBackend | null = null;
beforeAll(async () => {
  const ctx = await gpuContext();
  gpu = ctx ? new WebGpuBackend(ctx) : null;
});

describe('pool WGSL kernels vs PyTorch', () => {
  it('has the fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(15));
  it.skipIf(noGpu).each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    requireGpu(gpu);
    const r = await runCase(gpu, c);
    expect(r.error).toBeUndefined();
    expect(r.checks.map((k) => k.tensor).sort()).toEqual(['gradInput', 'output']);
    expect(r.pass).toBe(true);
  });
});
