// GEMM in float64: the CPU twin of kernels/gemm.wgsl (see src/engine/gemm.ts for the contract).

import type { GemmSpec } from '../gemm';

export function gemmCpu(s: GemmSpec, a: Float64Array, b: Float64Array, c: Float64Array): void {
  const [outer, inner] = s.batch.count;
  for (let zo = 0; zo < outer; zo++) {
    for (let zi = 0; zi < inner; zi++) {
      const baseA = s.offsetA + zo * s.batch.strideA[0] + zi * s.batch.strideA[1];
      const baseB = s.offsetB + zo * s.batch.strideB[0] + zi * s.batch.strideB[1];
      const baseC = s.offsetC + zo * s.batch.strideC[0] + zi * s.batch.strideC[1];
      for (let row = 0; row < s.m; row++) {
        for (let col = 0; col < s.n; col++) {
          let sum = 0;
          for (let r = 0; r < s.reduce.count; r++) {
            const offA = baseA + r * s.reduce.strideA;
            const offB = baseB + r * s.reduce.strideB;
            for (let p = 0; p < s.k; p++) {
              const av = s.transA ? a[offA + p * s.lda + row]! : a[offA + row * s.lda + p]!;
              const bv = s.transB ? b[offB + col * s.ldb + p]! : b[offB + p * s.ldb + col]!;
              sum += av * bv;
            }
          }
          const ci = baseC + row * s.ldc + col;
          c[ci] = s.beta === 0 ? s.alpha * sum : s.alpha * sum + s.beta * c[ci]!;
        }
      }
    }
  }
}
