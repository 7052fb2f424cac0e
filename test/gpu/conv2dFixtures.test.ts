// The WGSL conv kernels against PyTorch-made fixtures, within each case's tolerance.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCase } from '../../src/engine/verify/runCase';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { parseCaseFile, type ParsedCase } from '../../src/shared/cases';
import { gpuContext } from './gpuTestContext';

const cases = ['conv2d.json', 'worked-example.json'].flatMap((f) =>
  parseCaseFile(readFileSync(join(__dirname, '../fixtures/cases', f), 'utf8')).cases.filter((c): c is ParsedCase => c.kind === 'case'),
);

let gpu: WebGpuBackend | null = null;
beforeAll(async () => {
  const ctx = await gpuContext();
  gpu = ctx ? new WebGpuBackend(ctx) : null;
});

describe('conv2d WGSL kernels vs PyTorch', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    if (!gpu) return;
    const r = await runCase(gpu, c);
    expect(r.error).toBeUndefined();
    expect(r.checks.length).toBeGreaterThan(0);
    expect(r.pass).toBe(true);
  });
});
