// The three GEMMs of SpatialConvolutionMM, batched over the mini-batch and the groups.
//
// Layouts (row-major, elements):
//   input    (N, C, H, W)
//   weight   (O, C/G, kh, kw)  = per group g an (O/G) × (C/G·kh·kw) matrix W[g]
//   columns  (N, C·kh·kw, L)   with L = Ho·Wo; group g owns rows [g·Kg, (g+1)·Kg), Kg = C/G·kh·kw
//   output   (N, O, L)         = per (n, g) an (O/G) × L matrix
//
//   forward      out[n,g]  = W[g] · col[n,g]                      ('n','n')  m=O/G, n=L,  k=Kg
//   grad-input   dCol[n,g] = W[g]ᵀ · dOut[n,g]                    ('t','n')  m=Kg,  n=L,  k=O/G
//   grad-weight  dW[g]    += Σ_n dOut[n,g] · col[n,g]ᵀ           ('n','t')  m=O/G, n=Kg, k=L
//
// The worked example (one 3×9×9 image, ten 3×3 filters, stride 3): L = 9, Kg = 27, so the
// grad-input GEMM has m=27, n=9, k=10 and dCol is 27×9.

import { type GemmSpec, gemmSpec } from '../gemm';
import { type Conv2dGeometry, columnRowsPerGroup, outputPixels } from './geometry';

export function forwardGemm(g: Conv2dGeometry): GemmSpec {
  const L = outputPixels(g);
  const Kg = columnRowsPerGroup(g);
  const Og = g.outChannels / g.groups;
  return gemmSpec({
    m: Og, n: L, k: Kg,
    lda: Kg, ldb: L, ldc: L,
    batch: {
      count: [g.batch, g.groups],
      strideA: [0, Og * Kg],
      strideB: [g.groups * Kg * L, Kg * L],
      strideC: [g.outChannels * L, Og * L],
    },
  });
}

export function gradInputGemm(g: Conv2dGeometry): GemmSpec {
  const L = outputPixels(g);
  const Kg = columnRowsPerGroup(g);
  const Og = g.outChannels / g.groups;
  return gemmSpec({
    transA: true,
    m: Kg, n: L, k: Og,
    lda: Kg, ldb: L, ldc: L,
    batch: {
      count: [g.batch, g.groups],
      strideA: [0, Og * Kg],
      strideB: [g.outChannels * L, Og * L],
      strideC: [g.groups * Kg * L, Kg * L],
    },
  });
}

/** accumulate = true adds into dWeight (beta 1), as accGradParameters does. */
export function gradWeightGemm(g: Conv2dGeometry, accumulate: boolean): GemmSpec {
  const L = outputPixels(g);
  const Kg = columnRowsPerGroup(g);
  const Og = g.outChannels / g.groups;
  return gemmSpec({
    transB: true,
    m: Og, n: Kg, k: L,
    beta: accumulate ? 1 : 0,
    lda: L, ldb: L, ldc: Kg,
    batch: {
      count: [1, g.groups],
      strideA: [0, Og * L],
      strideB: [0, Kg * L],
      strideC: [0, Og * Kg],
    },
    reduce: { count: g.batch, strideA: g.outChannels * L, strideB: g.groups * Kg * L },
  });
}
