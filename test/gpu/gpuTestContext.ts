// One WebGPU context per GPU test file, on whatever adapter Dawn finds (SwiftShader on
// machines without a GPU). The adapter is printed so CI logs show what the tier ran on.
//
// Without any adapter the tier fails in CI (CI installs SwiftShader, so a missing adapter there is
// a broken machine). Elsewhere every GPU test reports as SKIPPED, never as a pass: this module
// settles the question when it is imported (top-level await), so test files can write
// `it.skipIf(noGpu)(…)` and, inside, `requireGpu(ctx)` where they used to return early.

import { createNodeContext } from '../../src/cli/nodeGpu';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { NoAdapterError } from '../../src/engine/webgpu/errors';

let shared: Promise<GpuContext | null> | null = null;
let announced = false;

export function gpuContext(): Promise<GpuContext | null> {
  shared ??= createNodeContext().then(
    (ctx) => {
      if (!announced) {
        announced = true;
        const a = ctx.adapter;
        console.log(`[gpu tier] adapter: ${a.vendor} / ${a.architecture} / ${a.description}${a.isSoftware ? ' (software)' : ''}; timestamps: ${a.timestamps}`);
      }
      return ctx;
    },
    (error: unknown) => {
      if (error instanceof NoAdapterError && !process.env.CI) {
        console.warn(`\n!!! [gpu tier] SKIPPED (every test in this file): ${error.message}\n`);
        return null;
      }
      throw error;
    },
  );
  return shared;
}

/** True on a machine without any WebGPU adapter (outside CI): GPU tests skip with it. */
export const noGpu: boolean = (await gpuContext()) === null;

/** Inside a test that skips with noGpu: the file's context (or backend) is there, or the file's
 *  own set-up is broken, which must fail the test rather than pass it. */
export function requireGpu<T>(value: T | null | undefined): asserts value is T {
  if (value === null || value === undefined) {
    throw new Error('An adapter exists but this file set up no GPU context: check its beforeAll');
  }
}
