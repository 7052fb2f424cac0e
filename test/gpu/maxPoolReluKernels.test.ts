// The max-pool kernels with a fused ReLU, and the tiled forward, on the GPU: fused equals ReLU then
// max pool bit for bit (values, −0, NaN, gradients), matches the CPU twin, and on geometries whose
// windows tile the input the tiled kernels (2×2 unrolled or looped) equal the general ones.

import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { pool2dGeometry, poolInputElements, poolOutputElements } from '../../src/engine/pool/geometry';
import type { GpuContext } from '../../src/engine/webgpu/context';
import type { GpuTensor } from '../../src/engine/webgpu/gpuTensor';
import {
  MAX_POOL2D, MAX_POOL2D_BACKWARD, MAX_POOL2D_BACKWARD_SCATTER, MAX_POOL2D_TILED, dispatchPool, windowsTileInput,
} from '../../src/engine/webgpu/ops/pool';
import type { OverrideConstants } from '../../src/engine/webgpu/pipelineCache';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { POOL_CONFIGS, type PoolConfig, reluPoolInput } from '../helpers/poolConfigs';
import { maxAbsDiff, randomArray } from '../helpers/random';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

const cpu = new CpuBackend();
let ctx: GpuContext | null = null;
let gpu: WebGpuBackend;

beforeAll(async () => {
  ctx = await gpuContext();
  if (ctx) gpu = new WebGpuBackend(ctx);
});

async function readIndices(t: GpuTensor): Promise<number[]> {
  const f = await ctx!.read(t);
  return Array.from(new Uint32Array(f.buffer, f.byteOffset, f.length));
}

const read = async (t: GpuTensor): Promise<number[]> => Array.from(await gpu.read(t));
const passes = (v: number): boolean => v > 0 || Number.isNaN(v);

/** The reference model's shapes, scaled down: many planes and workgroups through the tiled kernels. */
const TILED_CONFIGS: PoolConfig[] = [
  ...POOL_CONFIGS.filter((c) => windowsTileInput(pool2dGeometry(c.input, c.options))),
  { name: '2×2 on 3×5×28×28', input: [3, 5, 28, 28], options: { kernelSize: 2 } },
  { name: '2×2 on 3×7×14×14', input: [3, 7, 14, 14], options: { kernelSize: 2 } },
];

describe.each(POOL_CONFIGS)('max pool with a fused ReLU (GPU): $name', (cfg) => {
  const g = pool2dGeometry(cfg.input, cfg.options);
  const x = reluPoolInput(poolInputElements(g), 81);
  const dY = randomArray(poolOutputElements(g), 82);

  it.skipIf(noGpu)('equals ReLU then max pool bit for bit, and the CPU twin', async () => {
    requireGpu(ctx);
    const n = poolInputElements(g);
    const m = poolOutputElements(g);
    const gx = gpu.upload(x, 'x');
    const gdY = gpu.upload(dY, 'dY');

    const y = gpu.alloc(m, 'y');
    const argmax = gpu.alloc(m, 'argmax');
    gpu.maxPool2d(g, gx, y, argmax, true);
    const dX = gpu.alloc(n, 'dX');
    gpu.maxPool2dBackward(g, gdY, argmax, dX, y);

    const z = gpu.alloc(n, 'z');
    gpu.relu(n, gx, z);
    const yUnfused = gpu.alloc(m, 'y-unfused');
    const argmaxUnfused = gpu.alloc(m, 'argmax-unfused');
    gpu.maxPool2d(g, z, yUnfused, argmaxUnfused);
    const dZ = gpu.alloc(n, 'dZ');
    gpu.maxPool2dBackward(g, gdY, argmaxUnfused, dZ);
    const dXUnfused = gpu.alloc(n, 'dX-unfused');
    gpu.reluBackward(n, z, dZ, dXUnfused);

    const values = await read(y);
    expect(values).toEqual(await read(yUnfused));
    expect(await read(dX)).toEqual(await read(dXUnfused));
    const [indices, unfusedIndices] = [await readIndices(argmax), await readIndices(argmaxUnfused)];
    values.forEach((v, o) => {
      if (passes(v)) expect(indices[o], `output ${o}`).toBe(unfusedIndices[o]);
    });

    const cy = cpu.alloc(m);
    const cArgmax = cpu.alloc(m);
    cpu.maxPool2d(g, x, cy, cArgmax, true);
    const cdX = cpu.alloc(n);
    cpu.maxPool2dBackward(g, dY, cArgmax, cdX, cy);
    expect(values).toEqual(Array.from(cy));
    expect(indices).toEqual(Array.from(cArgmax));
    expect(maxAbsDiff(await gpu.read(dX), cdX)).toBeLessThan(1e-6);
  });
});

describe.each(TILED_CONFIGS)('tiled max-pool kernels equal the general ones: $name', (cfg) => {
  const g = pool2dGeometry(cfg.input, cfg.options);
  const x = reluPoolInput(poolInputElements(g), 91);
  const dY = randomArray(poolOutputElements(g), 92);
  const is2x2 = g.kernelH === 2 && g.kernelW === 2;

  for (const relu of [false, true]) {
    it.skipIf(noGpu)(`forward and backward${relu ? ' with the fused ReLU' : ''}`, async () => {
      requireGpu(ctx);
      const n = poolInputElements(g);
      const m = poolOutputElements(g);
      const gx = gpu.upload(x, 'x');
      const gdY = gpu.upload(dY, 'dY');
      const forward = async (kernel: typeof MAX_POOL2D, window2x2: boolean | null) => {
        const y = gpu.alloc(m, 'y');
        const argmax = gpu.alloc(m, 'argmax');
        const constants: OverrideConstants = window2x2 === null ? { RELU: relu } : { RELU: relu, WINDOW_2X2: window2x2 };
        dispatchPool(ctx!, kernel, g, m, [gx, y, argmax], 'test', constants);
        return { y, values: await read(y), argmax: await readIndices(argmax), argmaxTensor: argmax };
      };
      const general = await forward(MAX_POOL2D, null);
      const tiled = await forward(MAX_POOL2D_TILED, is2x2);
      expect(tiled.values).toEqual(general.values);
      expect(tiled.argmax).toEqual(general.argmax);
      if (is2x2) {
        const looped = await forward(MAX_POOL2D_TILED, false);
        expect(looped.values).toEqual(general.values);
        expect(looped.argmax).toEqual(general.argmax);
      }

      const backward = async (scatter: boolean, window2x2: boolean) => {
        const dX = gpu.alloc(n, 'dX');
        const buffers = [gdY, general.argmaxTensor, dX, relu ? general.y : gdY];
        if (scatter) dispatchPool(ctx!, MAX_POOL2D_BACKWARD_SCATTER, g, m, buffers, 'test', { RELU: relu, WINDOW_2X2: window2x2 });
        else dispatchPool(ctx!, MAX_POOL2D_BACKWARD, g, n, buffers, 'test', { RELU: relu });
        return read(dX);
      };
      // dY has no −0, so the gather's 0 + dY and the scatter's dY are the same bits.
      const gathered = await backward(false, false);
      expect(await backward(true, is2x2)).toEqual(gathered);
      if (is2x2) expect(await backward(true, false)).toEqual(gathered);
    });
  }
});
