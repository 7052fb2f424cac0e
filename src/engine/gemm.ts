// The one GEMM description every backend implements.
//
// Row-major throughout. op(A) is m×k and op(B) is k×n; with transA the stored A is k×m (the
// 't' of BLAS), likewise transB. Batching is two-level (outer × inner, e.g. sample × group),
// and an optional reduced batch is summed into the same C — this is how grad-weight sums
// dOut·columnsᵀ over every sample of the mini-batch in one GEMM instead of a per-sample loop.
//
//   C[z] = alpha · Σ_r op(A[z, r]) · op(B[z, r]) + beta · C[z]
//
// beta = 0 never reads C, so C may hold garbage (or NaN) beforehand.

export interface GemmBatch {
  /** Batch counts [outer, inner]; z runs over outer·inner matrices. */
  count: [number, number];
  /** Element strides of A, B and C for one step of [outer, inner]. */
  strideA: [number, number];
  strideB: [number, number];
  strideC: [number, number];
}

export interface GemmReduce {
  count: number;
  strideA: number;
  strideB: number;
}

export interface GemmSpec {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  lda: number;
  ldb: number;
  ldc: number;
  offsetA: number;
  offsetB: number;
  offsetC: number;
  batch: GemmBatch;
  reduce: GemmReduce;
}

export type GemmSpecInit = Pick<GemmSpec, 'm' | 'n' | 'k'> & Partial<GemmSpec>;

/** Fill defaults: no transposes, packed leading dimensions, one matrix, alpha 1, beta 0. */
export function gemmSpec(init: GemmSpecInit): GemmSpec {
  const transA = init.transA ?? false;
  const transB = init.transB ?? false;
  return {
    transA,
    transB,
    m: init.m,
    n: init.n,
    k: init.k,
    alpha: init.alpha ?? 1,
    beta: init.beta ?? 0,
    lda: init.lda ?? (transA ? init.m : init.k),
    ldb: init.ldb ?? (transB ? init.k : init.n),
    ldc: init.ldc ?? init.n,
    offsetA: init.offsetA ?? 0,
    offsetB: init.offsetB ?? 0,
    offsetC: init.offsetC ?? 0,
    batch: init.batch ?? { count: [1, 1], strideA: [0, 0], strideB: [0, 0], strideC: [0, 0] },
    reduce: init.reduce ?? { count: 1, strideA: 0, strideB: 0 },
  };
}

export const gemmBatchCount = (s: GemmSpec): number => s.batch.count[0] * s.batch.count[1];

/** Multiply-adds of the whole call, ×2 for FLOPs. */
export const gemmFlops = (s: GemmSpec): number => 2 * s.m * s.n * s.k * gemmBatchCount(s) * s.reduce.count;

/** The BLAS-style letters of the original write-up: 'n' or 't' for A and B. */
export const gemmTransLetters = (s: GemmSpec): string => `${s.transA ? 't' : 'n'}${s.transB ? 't' : 'n'}`;
