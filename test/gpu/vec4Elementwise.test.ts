// The vec4 paths of the elementwise kernels and the global-pool backward, against the float64
// twins: relu and leaky_relu forward and backward take vec4s when n is a multiple of 4 (special
// values included: NaN propagates, −0 stays −0), and average pooling over a whole unpadded plane
// (global average pooling) takes one read per pixel in its backward.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { globalPoolGeometry, pool2dGeometry, poolInputElements, poolOutputElements } from '../../src/engine/pool/geometry';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { maxAbsDiff, randomArray } from '../helpers/random';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

const cpu = new CpuBackend();
let gpu: WebGpuBackend | null = null;
beforeAll(async () => {
  const ctx = await gpuContext();
  if (ctx) gpu = new WebGpuBackend(ctx);
});

const SPECIAL = [0, -0, Number.NaN, Infinity, -Infinity, Math.fround(1e-30), Math.fround(-1e-30), Math.fround(-2.5)];
const n = 1000 + SPECIAL.length; // a multiple of 4
const x = Float64Array.of(...randomArray(1000, 71, 3), ...SPECIAL);
const dY = Float64Array.of(...randomArray(n - 1, 72), Number.NaN);

function expectSame(got: Float64Array, want: Float64Array): void {
  for (let i = 0; i < want.length; i++) expect(Object.is(got[i], want[i]) || got[i] === want[i], `index ${i}: got ${got[i]}, want ${want[i]}`).toBe(true);
}

describe('relu and leaky_relu on vec4s', () => {
  it.skipIf(noGpu)('forward and backward equal the twins bit for bit', async () => {
    requireGpu(gpu);
    expect(n % 4).toBe(0);
    const g = gpu;
    const gx = g.upload(x, 'x');
    const y = cpu.alloc(n);
    cpu.relu(n, x, y);
    const gy = g.alloc(n, 'y');
    g.relu(n, gx, gy);
    expectSame(await g.read(gy), y);
    const dX = cpu.alloc(n);
    cpu.reluBackward(n, y, dY, dX);
    const gdX = g.alloc(n, 'dX');
    g.reluBackward(n, g.upload(y, 'y'), g.upload(dY, 'dY'), gdX);
    expectSame(await g.read(gdX), dX);

    const ly = cpu.alloc(n);
    cpu.leakyRelu(n, 0.125, x, ly);
    const gly = g.alloc(n, 'ly');
    g.leakyRelu(n, 0.125, gx, gly);
    expectSame(await g.read(gly), ly);
    const ldX = cpu.alloc(n);
    cpu.leakyReluBackward(n, 0.125, x, dY, ldX);
    const gldX = g.alloc(n, 'ldX');
    g.leakyReluBackward(n, 0.125, gx, g.upload(dY, 'dY'), gldX);
    expectSame(await g.read(gldX), ldX);
  });
});

describe('global average pooling backward', () => {
  it.skipIf(noGpu).each([
    ['8×8 planes (ResNet head)', globalPoolGeometry([3, 5, 8, 8])],
    ['a 7×5 plane under a 7×6 window, count_include_pad off', pool2dGeometry([2, 3, 7, 5], { kernelSize: [7, 6], stride: 7, padding: 0, ceilMode: true, countIncludePad: false })],
  ])('%s matches the twin', async (_, geometry) => {
    requireGpu(gpu);
    expect([geometry.outHeight, geometry.outWidth]).toEqual([1, 1]);
    const d = randomArray(poolOutputElements(geometry), 73);
    const want = cpu.alloc(poolInputElements(geometry));
    cpu.avgPool2dBackward(geometry, d, want);
    const got = gpu.alloc(poolInputElements(geometry), 'dX');
    gpu.avgPool2dBackward(geometry, gpu.upload(d, 'dY'), got);
    expect(maxAbsDiff(await gpu.read(got), want)).toBeLessThan(1e-7);
  });
});

describe('scaleAdd on vec4s and f32s', () => {
  it.skipIf(noGpu).each([[1200], [1201]])('n = %i: the first n elements, as the twin', async (count) => {
    requireGpu(gpu);
    const a = randomArray(count + 5, 74), b = randomArray(count + 5, 75);
    const want = Float64Array.from(b);
    cpu.scaleAdd(count, -0.75, a, want);
    const gy = gpu.upload(b, 'y');
    gpu.scaleAdd(count, -0.75, gpu.upload(a, 'x'), gy);
    expect(maxAbsDiff(await gpu.read(gy), want)).toBeLessThan(1e-6);
  });
});
