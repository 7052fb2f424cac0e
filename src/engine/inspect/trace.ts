// The trace of one conv output value through im2col and the GEMM, forward and backward, for one
// image of an inspection. Nothing here re-derives the geometry: the values are what the CPU twin
// of im2col (cpu/im2col.ts) puts in the column matrix for the conv the kernels ran (after pad2d
// for padding_mode reflect/replicate/circular, as Conv2dLayer runs it), the input cell behind
// each entry is im2col of an image of cell numbers through the same pad, the GEMM position comes
// from conv/gemmPlan's forward plan, and the backward spread is gradInputGemm (weightᵀ ·
// gradOutput with only this pixel's gradient) followed by col2im (and pad2d's adjoint).
//
//   output[o, oh, ow] = Σ_r W[o, r] · columns[g·K + r, p] + bias[o],  p = oh·Wo + ow,
//   r = (c'·kh + i)·kw + j over the K = C/groups·kh·kw rows of o's group g (c = g·C/groups + c').

import type { Pad2dGeometry } from '../backend';
import { columnElements, columnRowsPerGroup, inputElements, outputElements, outputPixels } from '../conv/geometry';
import { forwardGemm, gradInputGemm } from '../conv/gemmPlan';
import { paddedElements, unpaddedElements } from '../conv/paddingMode';
import { gemmCpu } from '../cpu/gemm';
import { col2imCpu, im2colCpu } from '../cpu/im2col';
import { pad2dBackwardCpu, pad2dCpu } from '../cpu/pad';
import type { InspectedConv } from './types';

export interface ConvTap {
  /** Input channel (of the layer's input), kernel row, kernel column. */
  c: number;
  i: number;
  j: number;
  /** Row of the column matrix inside the group (0..K−1): the GEMM's k index. */
  row: number;
  /** Where the tap sits in the padded frame (padding rows/columns included, 0-based). */
  frameH: number;
  frameW: number;
  /** The input cell it reads, or null for zero padding. With a padding mode a border tap reads
   *  the cell that the mode copies. */
  source: { h: number; w: number } | null;
  value: number;
  weight: number;
  product: number;
}

export interface ConvTrace {
  o: number;
  oh: number;
  ow: number;
  group: number;
  /** The forward GEMM C(M×N) = W(M×K)·columns(K×N) of (sample 0, group g): this value is row
   *  `row`, column `col`. */
  gemm: { m: number; n: number; k: number; row: number; col: number; groups: number };
  /** The padded frame the taps are placed in: the input with `top`/`left` padding rows/columns. */
  frame: { height: number; width: number; top: number; left: number; mode: 'zeros' | Pad2dGeometry['mode'] };
  taps: ConvTap[];
  /** Σ products (float64), the bias, their sum, and the value the layer output holds there. */
  sum: number;
  bias: number;
  total: number;
  output: number;
  backward: ConvTraceBackward | null;
}

export interface ConvTraceBackward {
  /** d(target)/d(output[o, oh, ow]). */
  grad: number;
  /** This pixel's column of gradColumns = weightᵀ · gradOutput: W[o, r]·grad for each tap. */
  dColumn: number[];
  /** col2im of that column (and pad2d's adjoint): this pixel's share of the layer input's
   *  gradient, (C, H, W). Padding taps add nothing; taps that read the same cell add up. */
  spread: Float64Array;
}

/** One image's tensors for a conv layer: its input (C·H·W), output (O·Ho·Wo), output gradient. */
export interface ConvSample {
  input: Float64Array;
  output: Float64Array;
  dOutput: Float64Array | null;
}

export function traceConvOutput(conv: InspectedConv, sample: ConvSample, o: number, oh: number, ow: number): ConvTrace {
  const g = conv.geometry;
  const { pad } = conv;
  if (g.batch !== 1) throw new Error('traceConvOutput: the geometry must be for one image (batch 1)');
  if (!(o >= 0 && o < g.outChannels && oh >= 0 && oh < g.outHeight && ow >= 0 && ow < g.outWidth)) {
    throw new Error(`traceConvOutput: (${o}, ${oh}, ${ow}) is outside the ${g.outChannels}×${g.outHeight}×${g.outWidth} output`);
  }
  const L = outputPixels(g);
  const K = columnRowsPerGroup(g);
  const perGroupOut = g.outChannels / g.groups;
  const group = Math.floor(o / perGroupOut);
  const p = oh * g.outWidth + ow;

  // What the conv reads (the input, padded with the mode first), and which input cell each of
  // its cells is: cell numbers + 1 through the same pad, so 0 can only mean zero padding.
  const cells = Float64Array.from({ length: sample.input.length }, (_, k) => k + 1);
  const convInput = pad ? padded(pad, sample.input) : sample.input;
  const convCells = pad ? padded(pad, cells) : cells;
  const columns = new Float64Array(columnElements(g));
  const cellColumns = new Float64Array(columnElements(g));
  im2colCpu(g, convInput, columns);
  im2colCpu(g, convCells, cellColumns);

  const inH = pad ? pad.height : g.inHeight;
  const inW = pad ? pad.width : g.inWidth;
  const frame = pad
    ? { height: g.inHeight, width: g.inWidth, top: pad.top, left: pad.left, mode: pad.mode }
    : { height: g.inHeight + g.padTop + g.padBottom, width: g.inWidth + g.padLeft + g.padRight, top: g.padTop, left: g.padLeft, mode: 'zeros' as const };
  const channelsPerGroup = g.inChannels / g.groups;
  const taps: ConvTap[] = [];
  let sum = 0;
  for (let r = 0; r < K; r++) {
    const at = (group * K + r) * L + p;
    const j = r % g.kernelW;
    const i = Math.floor(r / g.kernelW) % g.kernelH;
    const c = group * channelsPerGroup + Math.floor(r / (g.kernelW * g.kernelH));
    const cell = cellColumns[at]! - 1;
    const source = cell < 0 ? null : { h: Math.floor(cell / inW) % inH, w: cell % inW };
    const weight = conv.weight.data[o * K + r]!;
    const value = columns[at]!;
    const product = value * weight;
    sum += product;
    taps.push({ c, i, j, row: r, frameH: oh * g.strideH + i * g.dilationH, frameW: ow * g.strideW + j * g.dilationW, source, value, weight, product });
  }
  const bias = conv.bias ? conv.bias[o]! : 0;
  const plan = forwardGemm(g);
  const outputIndex = (o * g.outHeight + oh) * g.outWidth + ow;
  return {
    o, oh, ow, group,
    gemm: { m: plan.m, n: plan.n, k: plan.k, row: o - group * perGroupOut, col: p, groups: g.groups },
    frame, taps, sum, bias, total: sum + bias, output: sample.output[outputIndex]!,
    backward: sample.dOutput ? traceBackward(conv, sample.dOutput[outputIndex]!, o, oh, ow, taps) : null,
  };
}

function traceBackward(conv: InspectedConv, grad: number, o: number, oh: number, ow: number, taps: ConvTap[]): ConvTraceBackward {
  const g = conv.geometry;
  // gradOutput with only this pixel's gradient, through the grad-input GEMM and col2im.
  const dOut = new Float64Array(outputElements(g));
  dOut[(o * g.outHeight + oh) * g.outWidth + ow] = grad;
  const dColumns = new Float64Array(columnElements(g));
  gemmCpu(gradInputGemm(g), conv.weight.data, dOut, dColumns);
  const dConvInput = new Float64Array(inputElements(g));
  col2imCpu(g, dColumns, dConvInput);
  let spread = dConvInput;
  if (conv.pad) {
    spread = new Float64Array(unpaddedElements(conv.pad));
    pad2dBackwardCpu(conv.pad, dConvInput, spread);
  }
  const K = columnRowsPerGroup(g);
  const group = Math.floor(o / (g.outChannels / g.groups));
  const p = oh * g.outWidth + ow;
  const dColumn = taps.map((t) => dColumns[(group * K + t.row) * outputPixels(g) + p]!);
  return { grad, dColumn, spread };
}

function padded(pad: Pad2dGeometry, x: Float64Array): Float64Array {
  const y = new Float64Array(paddedElements(pad));
  pad2dCpu(pad, x, y);
  return y;
}
