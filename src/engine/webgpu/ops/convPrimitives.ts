// Dispatch code for the conv-core kernels: uniforms and grids for im2col, col2im, gemm,
// bias add and bias grad. Each function records its passes in the pending encoder: one each,
// except bias grad (per-image partial sums, then one pass per channel).

import type { Conv2dGeometry } from '../../conv/geometry';
import { columnElements, inputElements } from '../../conv/geometry';
import { type GemmSpec, gemmBatchCount } from '../../gemm';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import { linearGrid } from '../kernelSpec';
import { BIAS_ADD, BIAS_GRAD_FINISH, BIAS_GRAD_PARTIALS, BIAS_GRAD_PARTIALS_VEC4, COL2IM, GEMM, IM2COL } from '../kernels';

function unfoldUniforms(g: Conv2dGeometry, total: number, rowPitch: number): Record<string, number> {
  return {
    total, rowPitch,
    channels: g.inChannels, height: g.inHeight, width: g.inWidth,
    kernelH: g.kernelH, kernelW: g.kernelW, strideH: g.strideH, strideW: g.strideW,
    padTop: g.padTop, padLeft: g.padLeft, dilationH: g.dilationH, dilationW: g.dilationW,
    outHeight: g.outHeight, outWidth: g.outWidth,
  };
}

export function im2colGpu(ctx: GpuContext, g: Conv2dGeometry, input: GpuTensor, columns: GpuTensor, label = 'im2col'): void {
  const total = columnElements(g);
  const { workgroups, rowPitch } = linearGrid(total, 256);
  ctx.dispatch(IM2COL, { uniforms: unfoldUniforms(g, total, rowPitch), buffers: [input, columns], workgroups, label });
}

export function col2imGpu(ctx: GpuContext, g: Conv2dGeometry, columns: GpuTensor, dInput: GpuTensor, label = 'col2im'): void {
  const total = inputElements(g);
  const { workgroups, rowPitch } = linearGrid(total, 256);
  ctx.dispatch(COL2IM, { uniforms: unfoldUniforms(g, total, rowPitch), buffers: [columns, dInput], workgroups, label });
}

export function gemmGpu(ctx: GpuContext, s: GemmSpec, a: GpuTensor, b: GpuTensor, c: GpuTensor, label = 'gemm'): void {
  if (s.m === 0 || s.n === 0) return;
  const z = gemmBatchCount(s);
  ctx.dispatch(GEMM, {
    constants: { TRANS_A: s.transA, TRANS_B: s.transB },
    uniforms: {
      m: s.m, n: s.n, k: s.k, lda: s.lda, ldb: s.ldb, ldc: s.ldc,
      offA: s.offsetA, offB: s.offsetB, offC: s.offsetC,
      batchInner: s.batch.count[1],
      strideAo: s.batch.strideA[0], strideAi: s.batch.strideA[1],
      strideBo: s.batch.strideB[0], strideBi: s.batch.strideB[1],
      strideCo: s.batch.strideC[0], strideCi: s.batch.strideC[1],
      reduceCount: s.reduce.count, reduceStrideA: s.reduce.strideA, reduceStrideB: s.reduce.strideB,
      alpha: s.alpha, beta: s.beta,
    },
    buffers: [a, b, c],
    workgroups: [Math.ceil(s.n / 32), Math.ceil(s.m / 32), z],
    label,
  });
}

export function biasAddGpu(ctx: GpuContext, n: number, c: number, l: number, bias: GpuTensor, out: GpuTensor, label = 'bias-add'): void {
  const total = n * c * l;
  if (total === 0) return;
  const { workgroups, rowPitch } = linearGrid(total, 256);
  ctx.dispatch(BIAS_ADD, { uniforms: { total, rowPitch, channels: c, pixels: l }, buffers: [bias, out], workgroups, label });
}

/** How bias_grad.wgsl splits the (N, C, L) gradient among lanes: each lane sums one of
 *  2^segBits contiguous segments of one image's plane, with as many segments per image as keep
 *  a 64-lane workgroup busy when N < 64 (and no more than there are units to share). */
export function biasGradPlan(n: number, l: number): { vec4: boolean; units: number; segBits: number; segLen: number; groupsY: number } {
  // vec4 loads need every plane to start on a 16-byte boundary, so L a multiple of 4.
  const vec4 = l % 4 === 0;
  const units = vec4 ? l / 4 : l;
  let segBits = 0;
  while (segBits < 6 && n * 2 ** (segBits + 1) <= 64 && 2 ** (segBits + 1) <= units) segBits++;
  return { vec4, units, segBits, segLen: Math.ceil(units / 2 ** segBits), groupsY: Math.max(1, Math.ceil((n * 2 ** segBits) / 64)) };
}

const MAX_GROUPS = 65535; // per dispatch dimension

export function biasGradGpu(ctx: GpuContext, n: number, c: number, l: number, dOut: GpuTensor, dBias: GpuTensor, accumulate: boolean, label = 'bias-grad'): void {
  if (c === 0) return;
  const plan = biasGradPlan(n, l);
  if (c > MAX_GROUPS || plan.groupsY > MAX_GROUPS) {
    throw new Error(`bias grad on the GPU takes at most ${MAX_GROUPS} channels and ${MAX_GROUPS * 64} images per call, got C=${c}, N=${n}; split the batch`);
  }
  const partialsPerChannel = plan.groupsY * 64;
  const partials = ctx.alloc(c * partialsPerChannel, 'bias-grad-partials');
  const uniforms = {
    batch: n, channels: c, units: plan.units, accumulate: accumulate ? 1 : 0,
    segBits: plan.segBits, segLen: plan.segLen, partialsPerChannel,
  };
  const buffers = [dOut, partials, dBias];
  ctx.dispatch(plan.vec4 ? BIAS_GRAD_PARTIALS_VEC4 : BIAS_GRAD_PARTIALS, { uniforms, buffers, workgroups: [c, plan.groupsY, 1], label });
  ctx.dispatch(BIAS_GRAD_FINISH, { uniforms, buffers, workgroups: [Math.ceil(c / 64), 1, 1], label: `${label}-sum` });
  ctx.release(partials);
}
