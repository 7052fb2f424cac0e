// The CPU backend: float64 twins of every kernel. It is the reference the WebGPU kernels are
// checked against, and a slow but working fallback (`--backend cpu`).

import type { Backend } from '../backend';
import type { Conv2dGeometry } from '../conv/geometry';
import type { GemmSpec } from '../gemm';
import {
  explicitConvBackwardBias,
  explicitConvBackwardInput,
  explicitConvBackwardWeight,
  explicitConvForward,
} from '../conv/explicitConv';
import { biasAddCpu, biasGradCpu } from './bias';
import { gemmCpu } from './gemm';
import { col2imCpu, im2colCpu } from './im2col';

export class CpuBackend implements Backend<Float64Array> {
  readonly kind = 'cpu' as const;

  upload(data: ArrayLike<number>): Float64Array {
    return Float64Array.from(data);
  }
  alloc(length: number): Float64Array {
    // NaN-filled so a kernel that reads memory it should not have written shows up in tests.
    return new Float64Array(length).fill(Number.NaN);
  }
  zeros(length: number): Float64Array {
    return new Float64Array(length);
  }
  async read(t: Float64Array): Promise<Float64Array> {
    return Float64Array.from(t);
  }
  release(): void {}
  length(t: Float64Array): number {
    return t.length;
  }
  flush(): void {}

  im2col(g: Conv2dGeometry, input: Float64Array, columns: Float64Array): void {
    im2colCpu(g, input, columns);
  }
  col2im(g: Conv2dGeometry, columns: Float64Array, dInput: Float64Array): void {
    col2imCpu(g, columns, dInput);
  }
  gemm(spec: GemmSpec, a: Float64Array, b: Float64Array, c: Float64Array): void {
    gemmCpu(spec, a, b, c);
  }
  biasAdd(n: number, c: number, l: number, bias: Float64Array, out: Float64Array): void {
    biasAddCpu(n, c, l, bias, out);
  }
  biasGrad(n: number, c: number, l: number, dOut: Float64Array, dBias: Float64Array, accumulate: boolean): void {
    biasGradCpu(n, c, l, dOut, dBias, accumulate);
  }

  conv2dForward(g: Conv2dGeometry, input: Float64Array, weight: Float64Array, bias: Float64Array | null, output: Float64Array): void {
    explicitConvForward(this, g, input, weight, bias, output);
  }
  conv2dBackwardInput(g: Conv2dGeometry, dOut: Float64Array, weight: Float64Array, dInput: Float64Array): void {
    explicitConvBackwardInput(this, g, dOut, weight, dInput);
  }
  conv2dBackwardWeight(g: Conv2dGeometry, input: Float64Array, dOut: Float64Array, dWeight: Float64Array, accumulate: boolean): void {
    explicitConvBackwardWeight(this, g, input, dOut, dWeight, accumulate);
  }
  conv2dBackwardBias(g: Conv2dGeometry, dOut: Float64Array, dBias: Float64Array, accumulate: boolean): void {
    explicitConvBackwardBias(this, g, dOut, dBias, accumulate);
  }
}
