// The Backend: the op vocabulary every implementation provides (tinygrad's lesson: a small set
// of ops, and layers that only ever call these). `cpu` runs the float64 twins; `webgpu` records
// WGSL dispatches into one command buffer per step. B is the backend's tensor handle.
//
// Argument order follows the kernels (llm.c's rule): geometry first, then inputs, then outputs.
// Gradients carry a d prefix.

import type { Conv2dGeometry } from './conv/geometry';
import type { GemmSpec } from './gemm';

export type ConvAlgorithm = 'im2col' | 'implicit' | 'direct' | 'auto';

export interface Backend<B> {
  readonly kind: 'cpu' | 'webgpu';

  // Memory. Contents of alloc() are undefined; zeros() are zero.
  upload(data: ArrayLike<number>, label: string): B;
  alloc(length: number, label: string): B;
  zeros(length: number, label: string): B;
  read(t: B): Promise<Float64Array>;
  release(t: B): void;
  length(t: B): number;
  /** Send recorded work to the device (no-op on the CPU). */
  flush(): void;

  // The primitives of SpatialConvolutionMM.
  im2col(g: Conv2dGeometry, input: B, columns: B): void;
  col2im(g: Conv2dGeometry, columns: B, dInput: B): void;
  gemm(spec: GemmSpec, a: B, b: B, c: B): void;
  biasAdd(n: number, c: number, l: number, bias: B, out: B): void;
  biasGrad(n: number, c: number, l: number, dOut: B, dBias: B, accumulate: boolean): void;

  // Convolution, whole mini-batch at once. Weight is (O, C/groups, kh, kw).
  conv2dForward(g: Conv2dGeometry, input: B, weight: B, bias: B | null, output: B): void;
  /** dInput = col2im(Wᵀ · dOut); dInput is overwritten. */
  conv2dBackwardInput(g: Conv2dGeometry, dOut: B, weight: B, dInput: B): void;
  /** dWeight (+)= Σ_n dOut · columnsᵀ. */
  conv2dBackwardWeight(g: Conv2dGeometry, input: B, dOut: B, dWeight: B, accumulate: boolean): void;
  /** dBias (+)= Σ_{n,h,w} dOut. */
  conv2dBackwardBias(g: Conv2dGeometry, dOut: B, dBias: B, accumulate: boolean): void;
}
