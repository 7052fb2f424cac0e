// Inspection on the WGSL kernels against the float64 CPU twins, for the same weights and images:
// every module's output and gradient, the input gradient, in ONE readback; and the trace of a
// conv output (computed on the host from what the GPU returned) sums to the GPU's value to
// float32 rounding.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel, uploadImages } from '../../src/engine/eval/evaluate';
import { inspect } from '../../src/engine/inspect/inspect';
import { traceConvOutput } from '../../src/engine/inspect/trace';
import { sampleOf } from '../../src/engine/inspect/types';
import { readStateDict } from '../../src/engine/nn/stateDict';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { cpuFixture } from '../engine/inspect/fixture';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await gpuContext();
});

const relative = (got: ArrayLike<number>, want: ArrayLike<number>): number => {
  let worst = 0;
  let scale = 1e-12;
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs(got[i]! - want[i]!) || (Number.isNaN(got[i]!) ? Infinity : 0));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return worst / scale;
};

describe('inspect (WebGPU)', () => {
  it.skipIf(noGpu).each([
    ['the reference CNN', 'conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(10)', [1, 28, 28]],
    ['BN, stride 2, padding modes, groups, a residual block', 'conv(6,3,s=2,p=1,pm=reflect,bias=false) bn relu res(conv(6,3,p=1,g=2) bn relu ; conv(6,1) bn) conv(8,3x2,s=2,p=1,d=1) bn relu gap flatten dropout(0.5) linear(5)', [3, 16, 14]],
  ] as const)('%s: every output and gradient as the CPU twins, read back once', async (_name, text, input) => {
    requireGpu(ctx);
    const f = cpuFixture(text, [...input], 2);
    const target = { kind: 'class' as const, classes: [1, 3] };
    const want = await inspect(f.be, f.model, f.source, 2, target);
    const be = new WebGpuBackend(ctx);
    const net = loadModel(be, f.model.spec, (await readStateDict(f.model, f.be)));
    const [channels, height, width] = input;
    const source = uploadImages(be, { images: f.pixels, channels, height, width, mean: f.mean, std: f.std });
    const before = ctx.readbackCount;
    const got = await inspect(be, net, source, 2, target);
    expect(ctx.readbackCount - before).toBe(1);
    be.release(source.images);

    expect(relative(got.input.data, want.input.data)).toBeLessThan(1e-6);
    expect(relative(got.input.grad!, want.input.grad!), 'input gradient').toBeLessThan(1e-3);
    expect(got.modules.map((m) => m.path)).toEqual(want.modules.map((m) => m.path));
    got.modules.forEach((m, k) => {
      const w = want.modules[k]!;
      expect(relative(m.output.data, w.output.data), `${m.path} ${m.type} output`).toBeLessThan(1e-4);
      expect(relative(m.output.grad!, w.output.grad!), `${m.path} ${m.type} gradient`).toBeLessThan(1e-3);
      if (m.conv) expect(relative(m.conv.weight.grad!, w.conv!.weight.grad!), `${m.path} weight gradient`).toBeLessThan(1e-3);
    });

    const conv = got.modules.find((m) => m.conv)!;
    const [, outC, outH, outW] = conv.output.shape as [number, number, number, number];
    const sample = { input: sampleOf(got.input.data, got.input.shape, 1), output: sampleOf(conv.output.data, conv.output.shape, 1), dOutput: null };
    for (const [o, oh, ow] of [[0, 0, 0], [outC - 1, outH - 1, outW - 1], [1, outH >> 1, outW >> 1]] as const) {
      const t = traceConvOutput(conv.conv!, sample, o, oh, ow);
      expect(Math.abs(t.total - t.output)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(t.output)));
    }
  });
});
