// The explicit (SpatialConvolutionMM) convolution, written once against the Backend
// primitives so the CPU and WebGPU backends run the very same sequence of ops:
//
//   forward      columns = im2col(input);  output = W · columns;  output += bias
//   grad-input   dColumns = Wᵀ · dOut;     dInput = col2im(dColumns)
//   grad-weight  columns = im2col(input);  dW (+)= Σ_n dOut · columnsᵀ
//   grad-bias    dB (+)= Σ_{n,h,w} dOut
//
// The column matrix is a temporary of the call (N·C·kh·kw·Ho·Wo floats), taken from and
// returned to the backend's pool.

import type { Backend } from '../backend';
import { type Conv2dGeometry, columnElements, outputPixels } from './geometry';
import { forwardGemm, gradInputGemm, gradWeightGemm } from './gemmPlan';

export function explicitConvForward<B>(be: Backend<B>, g: Conv2dGeometry, input: B, weight: B, bias: B | null, output: B): void {
  const columns = be.alloc(columnElements(g), 'conv-columns');
  be.im2col(g, input, columns);
  be.gemm(forwardGemm(g), weight, columns, output);
  if (bias) be.biasAdd(g.batch, g.outChannels, outputPixels(g), bias, output);
  be.release(columns);
}

export function explicitConvBackwardInput<B>(be: Backend<B>, g: Conv2dGeometry, dOut: B, weight: B, dInput: B): void {
  const dColumns = be.alloc(columnElements(g), 'conv-dcolumns');
  be.gemm(gradInputGemm(g), weight, dOut, dColumns);
  be.col2im(g, dColumns, dInput);
  be.release(dColumns);
}

export function explicitConvBackwardWeight<B>(be: Backend<B>, g: Conv2dGeometry, input: B, dOut: B, dWeight: B, accumulate: boolean): void {
  const columns = be.alloc(columnElements(g), 'conv-columns');
  be.im2col(g, input, columns);
  be.gemm(gradWeightGemm(g, accumulate), dOut, columns, dWeight);
  be.release(columns);
}

export function explicitConvBackwardBias<B>(be: Backend<B>, g: Conv2dGeometry, dOut: B, dBias: B, accumulate: boolean): void {
  be.biasGrad(g.batch, g.outChannels, outputPixels(g), dOut, dBias, accumulate);
}
