// The three GEMMs of Linear (y = x·Wᵀ + b), as plans for Backend.gemm. Linear needs no kernels
// of its own: bias is biasAdd(N, out, 1, …) and biasGrad(N, out, 1, …).
//
// Layouts (row-major, elements), PyTorch's:
//   x  (N, in)     W  (out, in)     y, dY  (N, out)
//
//   forward      y   = x · Wᵀ          ('n','t')  m=N,   n=out, k=in
//   grad-input   dX  = dY · W          ('n','n')  m=N,   n=in,  k=out
//   grad-weight  dW (+)= dYᵀ · x       ('t','n')  m=out, n=in,  k=N   (sums over the batch)

import { type GemmSpec, gemmSpec } from '../gemm';

export function linearForwardGemm(batch: number, inFeatures: number, outFeatures: number): GemmSpec {
  return gemmSpec({ transB: true, m: batch, n: outFeatures, k: inFeatures, lda: inFeatures, ldb: inFeatures, ldc: outFeatures });
}

export function linearGradInputGemm(batch: number, inFeatures: number, outFeatures: number): GemmSpec {
  return gemmSpec({ m: batch, n: inFeatures, k: outFeatures, lda: outFeatures, ldb: inFeatures, ldc: inFeatures });
}

/** accumulate = true adds into dW (beta 1), as accGradParameters does. */
export function linearGradWeightGemm(batch: number, inFeatures: number, outFeatures: number, accumulate: boolean): GemmSpec {
  return gemmSpec({
    transA: true, m: outFeatures, n: inFeatures, k: batch,
    beta: accumulate ? 1 : 0,
    lda: outFeatures, ldb: inFeatures, ldc: inFeatures,
  });
}
