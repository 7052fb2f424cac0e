// Tiling of the implicit-GEMM convolution kernels (kernels/conv_implicit_*.wgsl): how much work
// one invocation owns and how the grid is laid out. Pure logic, no device, so the CPU test tier
// checks it and the WebGPU ops only turn a plan into uniforms and a dispatch.
//
//   forward      out = W · im2col(x) + bias       lanes over output pixels, registers over O
//   grad-input   dX  = col2im(Wᵀ · dOut)          lanes over input pixels, registers over C
//   grad-weight  dW  = Σ dOut · im2col(x)ᵀ        lanes over the reduction (samples × pixels),
//                                                 registers over an O × k tile, then a second pass

import { type Conv2dGeometry, columnRowsPerGroup, outputPixels } from './geometry';

/** Invocations per workgroup of every implicit kernel: wide enough to give SwiftShader full
 *  4-lane vectors and GPUs two warps, small enough that a 7×7 layer still fills one. */
export const IMPLICIT_WG = 64;

export interface PixelTilePlan {
  /** Pixels per invocation (1, 2 or 4), strided by the workgroup width. */
  tp: 1 | 2 | 4;
  /** vec4s of channels per invocation (1 to 4). */
  c4: 1 | 2 | 3 | 4;
  /** Channel tiles per group. */
  tiles: number;
  /** The grid's x size: pixel block b runs as workgroup (b % xGroups, ·, b / xGroups). */
  xGroups: number;
  workgroups: [number, number, number];
}

export interface GradWeightPlan {
  oc4: 1 | 2 | 3 | 4;
  /** Columns of the weight matrix per lane (1 to 9). */
  tk: number;
  oTiles: number;
  kTiles: number;
  samplesPerSlice: number;
  slices: number;
  /** Partial sums: slices · WG lanes, each a whole O × Kg matrix. */
  partialElements: number;
  workgroups: [number, number, number];
}

function pixelsPerInvocation(pixels: number): 1 | 2 | 4 {
  return pixels >= 4 * IMPLICIT_WG ? 4 : pixels >= 2 * IMPLICIT_WG ? 2 : 1;
}

function channelVec4s(channels: number): 1 | 2 | 3 | 4 {
  return Math.min(4, Math.max(1, Math.ceil(channels / 4))) as 1 | 2 | 3 | 4;
}

/** Pixel blocks of WG·tp over the whole batch (lanes run across sample boundaries, so a small
 *  plane leaves none idle), laid out within the 65535-per-dimension limit. */
function pixelGrid(pixels: number, tp: number, yGroups: number): { xGroups: number; workgroups: [number, number, number] } {
  const blocks = Math.max(1, Math.ceil(pixels / (IMPLICIT_WG * tp)));
  const xGroups = Math.min(blocks, 65535);
  return { xGroups, workgroups: [xGroups, yGroups, Math.ceil(blocks / xGroups)] };
}

/** Forward: pixels of the output planes × output channels of one group. */
export function implicitForwardPlan(g: Conv2dGeometry, tp = pixelsPerInvocation(outputPixels(g))): PixelTilePlan {
  const og = g.outChannels / g.groups;
  const c4 = channelVec4s(og);
  const tiles = Math.ceil(og / (4 * c4));
  return { tp, c4, tiles, ...pixelGrid(g.batch * outputPixels(g), tp, g.groups * tiles) };
}

/** Grad-input: pixels of the input planes × input channels of one group. */
export function implicitGradInputPlan(g: Conv2dGeometry, tp = pixelsPerInvocation(g.inHeight * g.inWidth)): PixelTilePlan {
  const cg = g.inChannels / g.groups;
  const c4 = channelVec4s(cg);
  const tiles = Math.ceil(cg / (4 * c4));
  return { tp, c4, tiles, ...pixelGrid(g.batch * g.inHeight * g.inWidth, tp, g.groups * tiles) };
}

/** Most partial-sum floats grad-weight may hold (16 MiB): beyond that, fewer slices. */
const MAX_PARTIALS = 4 * 1024 * 1024;

/** Grad-weight: `targetWorkgroups` is the parallelism wanted (a few per core on a CPU adapter,
 *  hundreds on a GPU); samples are split into slices until the grid reaches it. */
export function implicitGradWeightPlan(g: Conv2dGeometry, targetWorkgroups = 32, maxOc4: 1 | 2 | 3 | 4 = 2): GradWeightPlan {
  const og = g.outChannels / g.groups;
  const kg = columnRowsPerGroup(g);
  const oc4 = Math.min(maxOc4, channelVec4s(og)) as 1 | 2 | 3 | 4;
  const tk = Math.min(9, kg);
  const oTiles = Math.ceil(og / (4 * oc4));
  const kTiles = Math.ceil(kg / tk);
  const tiles = g.groups * oTiles * kTiles;
  const perSliceFloats = IMPLICIT_WG * g.outChannels * kg;
  const wanted = Math.max(1, Math.min(g.batch, Math.ceil(targetWorkgroups / tiles), Math.floor(MAX_PARTIALS / perSliceFloats)));
  const samplesPerSlice = Math.ceil(g.batch / wanted);
  const slices = Math.ceil(g.batch / samplesPerSlice);
  return {
    oc4, tk, oTiles, kTiles, samplesPerSlice, slices,
    partialElements: slices * perSliceFloats,
    workgroups: [slices, g.groups * oTiles, kTiles],
  };
}
