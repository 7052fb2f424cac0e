// The WebGPU backend: every op records WGSL dispatches into the context's pending encoder.

import type { Backend } from '../backend';
import type { Conv2dGeometry } from '../conv/geometry';
import {
  explicitConvBackwardBias,
  explicitConvBackwardInput,
  explicitConvBackwardWeight,
  explicitConvForward,
} from '../conv/explicitConv';
import type { GemmSpec } from '../gemm';
import type { GpuContext } from './context';
import type { GpuTensor } from './gpuTensor';
import { biasAddGpu, biasGradGpu, col2imGpu, gemmGpu, im2colGpu } from './ops/convPrimitives';

export class WebGpuBackend implements Backend<GpuTensor> {
  readonly kind = 'webgpu' as const;

  constructor(readonly ctx: GpuContext) {}

  upload(data: ArrayLike<number>, label: string): GpuTensor {
    return this.ctx.upload(data, label);
  }
  alloc(length: number, label: string): GpuTensor {
    return this.ctx.alloc(length, label);
  }
  zeros(length: number, label: string): GpuTensor {
    return this.ctx.upload(new Float32Array(length), label);
  }
  async read(t: GpuTensor): Promise<Float64Array> {
    return Float64Array.from(await this.ctx.read(t));
  }
  release(t: GpuTensor): void {
    this.ctx.release(t);
  }
  length(t: GpuTensor): number {
    return t.length;
  }
  flush(): void {
    this.ctx.submit();
  }

  im2col(g: Conv2dGeometry, input: GpuTensor, columns: GpuTensor): void {
    im2colGpu(this.ctx, g, input, columns);
  }
  col2im(g: Conv2dGeometry, columns: GpuTensor, dInput: GpuTensor): void {
    col2imGpu(this.ctx, g, columns, dInput);
  }
  gemm(spec: GemmSpec, a: GpuTensor, b: GpuTensor, c: GpuTensor): void {
    gemmGpu(this.ctx, spec, a, b, c);
  }
  biasAdd(n: number, c: number, l: number, bias: GpuTensor, out: GpuTensor): void {
    biasAddGpu(this.ctx, n, c, l, bias, out);
  }
  biasGrad(n: number, c: number, l: number, dOut: GpuTensor, dBias: GpuTensor, accumulate: boolean): void {
    biasGradGpu(this.ctx, n, c, l, dOut, dBias, accumulate);
  }

  conv2dForward(g: Conv2dGeometry, input: GpuTensor, weight: GpuTensor, bias: GpuTensor | null, output: GpuTensor): void {
    explicitConvForward(this, g, input, weight, bias, output);
  }
  conv2dBackwardInput(g: Conv2dGeometry, dOut: GpuTensor, weight: GpuTensor, dInput: GpuTensor): void {
    explicitConvBackwardInput(this, g, dOut, weight, dInput);
  }
  conv2dBackwardWeight(g: Conv2dGeometry, input: GpuTensor, dOut: GpuTensor, dWeight: GpuTensor, accumulate: boolean): void {
    explicitConvBackwardWeight(this, g, input, dOut, dWeight, accumulate);
  }
  conv2dBackwardBias(g: Conv2dGeometry, dOut: GpuTensor, dBias: GpuTensor, accumulate: boolean): void {
    explicitConvBackwardBias(this, g, dOut, dBias, accumulate);
  }
}
