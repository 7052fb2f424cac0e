// One WebGPU context per GPU test file, on whatever adapter Dawn finds (SwiftShader on
// machines without a GPU). The adapter is printed so CI logs show what the tier ran on.
// Without any adapter the tier fails in CI; elsewhere it is skipped, loudly.

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
        console.warn(`\n!!! [gpu tier] SKIPPED: ${error.message}\n`);
        return null;
      }
      throw error;
    },
  );
  return shared;
}
