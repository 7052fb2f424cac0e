// The conv algorithms beside im2col on the GPU: kernel specs and dispatch for the implicit-GEMM
// kernels (kernels/conv_implicit_*.wgsl). Each function records the whole phase — no column
// matrix, and the forward adds the bias in its epilogue. Tiling comes from conv/implicitConv.ts.

import forwardSource from '../../../../kernels/conv_implicit_forward.wgsl?raw';
import gradInputSource from '../../../../kernels/conv_implicit_grad_input.wgsl?raw';
import gradWeightSource from '../../../../kernels/conv_implicit_grad_weight.wgsl?raw';
import directForwardSource from '../../../../kernels/conv_direct_forward.wgsl?raw';
import { directForwardPlan } from '../../conv/directConvPlan';
import { type Conv2dGeometry, columnRowsPerGroup } from '../../conv/geometry';
import { IMPLICIT_WG, implicitForwardPlan, implicitGradInputPlan, implicitGradWeightPlan } from '../../conv/implicitConv';
import type { GpuContext } from '../context';
import type { GpuTensor } from '../gpuTensor';
import { type KernelSpec, linearGrid } from '../kernelSpec';
import { CONV_COLUMNS, CONV_GEOMETRY } from '../wgslShared';
import { GEMM_SPLIT_REDUCE } from './gemmTiled';

const u32 = 'u32' as const;
/** common/conv_geometry.wgsl: the `geo` member every conv kernel's Params starts with. */
export const CONV_GEOMETRY_UNIFORMS = [
  ['inChannels', u32], ['channelsPerGroup', u32], ['height', u32], ['width', u32],
  ['outChannels', u32], ['outPerGroup', u32], ['kernelH', u32], ['kernelW', u32],
  ['strideH', u32], ['strideW', u32], ['padTop', u32], ['padLeft', u32],
  ['dilationH', u32], ['dilationW', u32], ['outHeight', u32], ['outWidth', u32],
] as const;

/** common/conv_columns.wgsl: the Params of the two column-tile kernels. */
export const COLUMN_TILE_UNIFORMS = [...CONV_GEOMETRY_UNIFORMS, ['batch', u32], ['samplesPerSlice', u32], ['oTiles', u32]] as const;

export const CONV_IMPLICIT_FORWARD: KernelSpec = {
  name: 'conv_implicit_forward',
  source: forwardSource,
  shared: [CONV_GEOMETRY],
  storage: [{ name: 'x', access: 'read' }, { name: 'weight', access: 'read' }, { name: 'bias', access: 'read' }, { name: 'out', access: 'read_write' }],
  uniforms: [...CONV_GEOMETRY_UNIFORMS, ['oTiles', u32], ['batch', u32], ['xGroups', u32]],
  workgroupSize: [IMPLICIT_WG, 1, 1],
};

export const CONV_IMPLICIT_GRAD_INPUT: KernelSpec = {
  name: 'conv_implicit_grad_input',
  source: gradInputSource,
  shared: [CONV_GEOMETRY],
  storage: [{ name: 'dOut', access: 'read' }, { name: 'weight', access: 'read' }, { name: 'dX', access: 'read_write' }],
  uniforms: [...CONV_GEOMETRY_UNIFORMS, ['cTiles', u32], ['batch', u32], ['xGroups', u32]],
  workgroupSize: [IMPLICIT_WG, 1, 1],
};

export const CONV_IMPLICIT_GRAD_WEIGHT: KernelSpec = {
  name: 'conv_implicit_grad_weight',
  source: gradWeightSource,
  shared: [CONV_GEOMETRY, CONV_COLUMNS],
  storage: [{ name: 'x', access: 'read' }, { name: 'dOut', access: 'read' }, { name: 'partials', access: 'read_write' }],
  uniforms: COLUMN_TILE_UNIFORMS,
  workgroupSize: [IMPLICIT_WG, 1, 1],
};

export const CONV_DIRECT_FORWARD: KernelSpec = {
  name: 'conv_direct_forward',
  source: directForwardSource,
  shared: [CONV_GEOMETRY, CONV_COLUMNS],
  storage: [{ name: 'x', access: 'read' }, { name: 'weight', access: 'read' }, { name: 'bias', access: 'read' }, { name: 'out', access: 'read_write' }],
  uniforms: COLUMN_TILE_UNIFORMS,
  workgroupSize: [IMPLICIT_WG, 1, 1],
};

function geometryValues(g: Conv2dGeometry): Record<string, number> {
  return {
    inChannels: g.inChannels, channelsPerGroup: g.inChannels / g.groups, height: g.inHeight, width: g.inWidth,
    outChannels: g.outChannels, outPerGroup: g.outChannels / g.groups, kernelH: g.kernelH, kernelW: g.kernelW,
    strideH: g.strideH, strideW: g.strideW, padTop: g.padTop, padLeft: g.padLeft,
    dilationH: g.dilationH, dilationW: g.dilationW, outHeight: g.outHeight, outWidth: g.outWidth,
  };
}

const empty = (g: Conv2dGeometry): boolean => g.batch === 0 || g.outChannels === 0 || g.inChannels === 0;

export function implicitConvForwardGpu(ctx: GpuContext, g: Conv2dGeometry, input: GpuTensor, weight: GpuTensor, bias: GpuTensor | null, output: GpuTensor, plan = implicitForwardPlan(g)): void {
  if (empty(g)) return;
  ctx.dispatch(CONV_IMPLICIT_FORWARD, {
    constants: { WG: IMPLICIT_WG, TP: plan.tp, OC4: plan.c4, HAS_BIAS: bias !== null },
    uniforms: { ...geometryValues(g), oTiles: plan.tiles, batch: g.batch, xGroups: plan.xGroups },
    // Without a bias the binding still needs a buffer; the kernel never reads it.
    buffers: [input, weight, bias ?? weight, output],
    workgroups: plan.workgroups,
    label: 'conv-implicit-forward',
  });
}

export function implicitConvBackwardInputGpu(ctx: GpuContext, g: Conv2dGeometry, dOut: GpuTensor, weight: GpuTensor, dInput: GpuTensor, plan = implicitGradInputPlan(g)): void {
  if (empty(g)) return;
  ctx.dispatch(CONV_IMPLICIT_GRAD_INPUT, {
    constants: { WG: IMPLICIT_WG, TP: plan.tp, CC4: plan.c4 },
    uniforms: { ...geometryValues(g), cTiles: plan.tiles, batch: g.batch, xGroups: plan.xGroups },
    buffers: [dOut, weight, dInput],
    workgroups: plan.workgroups,
    label: 'conv-implicit-grad-input',
  });
}

/** dW (+)= Σ_n dOut · im2col(x)ᵀ: per-lane partial sums, then gemm_split_reduce adds them in a
 *  fixed order and applies beta (1 when accumulating). */
export function implicitConvBackwardWeightGpu(ctx: GpuContext, g: Conv2dGeometry, input: GpuTensor, dOut: GpuTensor, dWeight: GpuTensor, accumulate: boolean, targetWorkgroups = 32, plan = implicitGradWeightPlan(g, targetWorkgroups)): void {
  if (empty(g)) return;
  const kg = columnRowsPerGroup(g);
  const partials = ctx.alloc(plan.partialElements, 'conv-grad-weight-partials');
  ctx.dispatch(CONV_IMPLICIT_GRAD_WEIGHT, {
    constants: { WG: IMPLICIT_WG, OC4: plan.oc4, TK: plan.tk },
    uniforms: { ...geometryValues(g), batch: g.batch, samplesPerSlice: plan.samplesPerSlice, oTiles: plan.oTiles },
    buffers: [input, dOut, partials],
    workgroups: plan.workgroups,
    label: 'conv-implicit-grad-weight',
  });
  const total = g.outChannels * kg;
  const { workgroups, rowPitch } = linearGrid(total, 64);
  ctx.dispatch(GEMM_SPLIT_REDUCE, {
    uniforms: {
      total, rowPitch, m: g.outChannels, n: kg, batch: 1, splits: plan.slices * IMPLICIT_WG, batchInner: 1, ldc: kg,
      offC: 0, strideCo: 0, strideCi: 0, alpha: 1, beta: accumulate ? 1 : 0,
    },
    buffers: [partials, dWeight],
    workgroups,
    label: 'conv-implicit-grad-weight-reduce',
  });
  // Later users of the pooled buffer are recorded after the reduce pass, so this is safe.
  ctx.release(partials);
}

/** Weight-stationary forward: filters in registers, lanes walk the pixels of a slice of samples. */
export function directConvForwardGpu(ctx: GpuContext, g: Conv2dGeometry, input: GpuTensor, weight: GpuTensor, bias: GpuTensor | null, output: GpuTensor, plan = directForwardPlan(g)): void {
  if (empty(g)) return;
  ctx.dispatch(CONV_DIRECT_FORWARD, {
    constants: { WG: IMPLICIT_WG, OC4: plan.oc4, TK: plan.tk, HAS_BIAS: bias !== null },
    uniforms: { ...geometryValues(g), batch: g.batch, samplesPerSlice: plan.samplesPerSlice, oTiles: plan.oTiles },
    buffers: [input, weight, bias ?? weight, output],
    workgroups: plan.workgroups,
    label: 'conv-direct-forward',
  });
}

// --- One phase by algorithm name (im2col is recorded by the backend's explicit path) ----------

/** Workgroups the sample-sliced kernels aim for. A software adapter runs a workgroup per CPU
 *  thread at a time and pays each lane's register set-up (a filter tile: dozens of per-lane
 *  loads) once per workgroup, so a few long workgroups beat many short ones there (measured on
 *  SwiftShader: 16 beat 32, 64 and 128); a GPU wants enough to fill its cores. */
const slicedParallelism = (ctx: GpuContext): number => (ctx.adapter.isSoftware ? 16 : 256);

/** How wide the implicit kernels' register tiles are: pixels per lane for the forward and
 *  grad-input (each weight load feeds that many pixels), vec4s of output channels per lane for
 *  grad-weight (each input load feeds 4× that many channels). The autotuner measures these per
 *  adapter and layer (convTiles.ts); untuned, `defaultConvTile` applies. */
export interface ConvTile {
  pixelsPerLane?: 1 | 2 | 4;
  gradWeightOc4?: 1 | 2 | 4;
}

/** Without measurements: on a software adapter each load is a per-lane gather costing far more
 *  than the multiply-adds it feeds, so the widest tiles (SwiftShader, 8→16 on 14×14 at N = 64:
 *  grad-input 25 ms at 4 pixels against 45 at 2; grad-weight 25–38 ms at 16 channels against
 *  35–57 at 8). A GPU keeps the plane-size rule and 8 channels, which keep enough workgroups. */
export function defaultConvTile(ctx: GpuContext): ConvTile {
  return ctx.adapter.isSoftware ? { pixelsPerLane: 4, gradWeightOc4: 4 } : { gradWeightOc4: 2 };
}

export type GpuConvAlgorithm = 'implicit' | 'direct';

export function convForwardWith(ctx: GpuContext, algo: GpuConvAlgorithm, g: Conv2dGeometry, input: GpuTensor, weight: GpuTensor, bias: GpuTensor | null, output: GpuTensor, tile = defaultConvTile(ctx)): void {
  if (algo === 'direct') directConvForwardGpu(ctx, g, input, weight, bias, output, directForwardPlan(g, slicedParallelism(ctx)));
  else implicitConvForwardGpu(ctx, g, input, weight, bias, output, implicitForwardPlan(g, tile.pixelsPerLane));
}

export function convBackwardInputWith(ctx: GpuContext, algo: GpuConvAlgorithm, g: Conv2dGeometry, dOut: GpuTensor, weight: GpuTensor, dInput: GpuTensor, tile = defaultConvTile(ctx)): void {
  // No direct grad-input kernel: the implicit gather is already a direct loop over taps.
  void algo;
  implicitConvBackwardInputGpu(ctx, g, dOut, weight, dInput, implicitGradInputPlan(g, tile.pixelsPerLane));
}

export function convBackwardWeightWith(ctx: GpuContext, algo: GpuConvAlgorithm, g: Conv2dGeometry, input: GpuTensor, dOut: GpuTensor, dWeight: GpuTensor, accumulate: boolean, tile = defaultConvTile(ctx)): void {
  // The implicit grad-weight kernel is already weight-stationary (the direct shape), so both
  // names run it.
  void algo;
  const target = slicedParallelism(ctx);
  implicitConvBackwardWeightGpu(ctx, g, input, dOut, dWeight, accumulate, target, implicitGradWeightPlan(g, target, tile.gradWeightOc4 ?? 2));
}
