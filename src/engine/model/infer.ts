// Shape inference: walk the layers with a per-sample shape ([C, H, W] or [F]) and report what
// each layer receives, produces, owns (PyTorch state_dict names) and costs, including the three
// GEMMs of SpatialConvolutionMM for convolutions (taken from conv/gemmPlan, batched over `batch`).
//
// FLOP counting (forward, per sample): a multiply-add is 2; a bias add, an activation, a dropout
// mask or a batch-norm normalise (one multiply-add folded from mean/var/weight/bias: 2) count per
// element; a pool counts its window size per output element (global pooling: one per input
// element). Flatten is free (a view).

import { ConvShapeError, columnElements, columnRows, columnRowsPerGroup, conv2dGeometry, outputPixels } from '../conv/geometry';
import { forwardGemm, gradInputGemm, gradWeightGemm } from '../conv/gemmPlan';
import { splitPaddedConv } from '../conv/paddingMode';
import { PoolShapeError, pool2dGeometry } from '../pool/geometry';
import { type GemmSpec, gemmBatchCount, gemmFlops, gemmSpec } from '../gemm';
import { ModelShapeError, ModelSpecError } from './errors';
import type { LayerSpec, ModelSpec } from './spec';

export interface ParamTensor {
  /** state_dict key, e.g. `3.weight` or `4.body.0.weight` inside a residual block. */
  name: string;
  shape: number[];
  /** buffers (running stats) are saved but not trained and not counted in params. */
  kind: 'parameter' | 'buffer';
}

export interface GemmSummary {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  /** Matrices per call (outer × inner batch, e.g. samples × groups). */
  batchCount: number;
  /** Products summed into each C (grad-weight sums over the mini-batch). */
  reduceCount: number;
  /** FLOPs of the whole call. */
  flops: number;
  spec: GemmSpec;
}

export interface LayerGemms {
  forward: GemmSummary;
  gradInput: GemmSummary;
  gradWeight: GemmSummary;
}

/** The im2col matrix: rows C·kh·kw, cols Ho·Wo per sample. */
export interface ColumnMatrix {
  rows: number;
  cols: number;
  elementsPerSample: number;
  elementsPerBatch: number;
}

export interface LayerShape {
  /** Index of the top-level layer (for a layer inside a residual block: the block's index). */
  index: number;
  /** The state_dict path: '3', or '4.body.0' / '4.shortcut.1' inside the block at 4. */
  path: string;
  type: LayerSpec['type'];
  inputShape: number[];
  outputShape: number[];
  /** Trainable elements (PyTorch's sum of p.numel() over parameters()). */
  params: number;
  paramTensors: ParamTensor[];
  forwardFlops: number;
  /** conv2d and linear only. */
  gemms?: LayerGemms;
  /** conv2d only: linear has no im2col, its input already is the matrix. */
  columnMatrix?: ColumnMatrix;
  /** residual only: its branches (shortcut null: the identity). params, paramTensors and
   *  forwardFlops of the block are its branches' plus the add. */
  body?: LayerShape[];
  shortcut?: LayerShape[] | null;
}

export interface ModelShapes {
  batch: number;
  input: number[];
  output: number[];
  /** Elements of the output per sample: the number of classes for a classifier. */
  outputSize: number;
  layers: LayerShape[];
  totalParams: number;
  totalFlops: number;
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const dims = (shape: readonly number[]): string => shape.join('×');

function summarise(spec: GemmSpec): GemmSummary {
  return {
    m: spec.m, n: spec.n, k: spec.k, transA: spec.transA, transB: spec.transB,
    batchCount: gemmBatchCount(spec), reduceCount: spec.reduce.count, flops: gemmFlops(spec), spec,
  };
}

/** Where a layer sits: its top-level index and its state_dict path. */
interface Where {
  index: number;
  path: string;
}

function shapeError(at: Where, type: string, detail: string, continues = false): ModelShapeError {
  return new ModelShapeError(at.index, type, detail, continues, at.path);
}

/** The batch size is written into messages as N, so say which rank arrived. */
function needFeatureMap(at: Where, layer: LayerSpec, shape: readonly number[]): [number, number, number] {
  if (shape.length !== 3) {
    throw shapeError(
      at, layer.type,
      `expects 4-D input (N, C, H, W) but receives ${shape.length + 1}-D (N, ${shape.join(', ')}): it needs a feature map, so put it before flatten`,
      true,
    );
  }
  return shape as [number, number, number];
}

function poolShape(at: Where, layer: LayerSpec & { type: 'max_pool2d' | 'avg_pool2d' }, shape: readonly number[]): number[] {
  const [c, h, w] = needFeatureMap(at, layer, shape);
  const [kh, kw] = layer.kernel_size;
  const [dh, dw] = layer.type === 'max_pool2d' ? layer.dilation : [1, 1];
  const [ph, pw] = layer.padding;
  const spanH = dh * (kh - 1) + 1;
  const spanW = dw * (kw - 1) + 1;
  // Checked before pool2dGeometry, which only sees an output size below 1, to name the cause.
  if (spanH > h + 2 * ph || spanW > w + 2 * pw) {
    const dilated = dh !== 1 || dw !== 1 ? ` (dilated span ${spanH}×${spanW})` : '';
    throw shapeError(at, layer.type, `kernel ${kh}×${kw}${dilated} is larger than its padded input ${h + 2 * ph}×${w + 2 * pw}`);
  }
  try {
    const g = pool2dGeometry([1, c, h, w], {
      kernelSize: layer.kernel_size, stride: layer.stride, padding: layer.padding, dilation: [dh, dw], ceilMode: layer.ceil_mode,
    });
    return [c, g.outHeight, g.outWidth];
  } catch (e) {
    if (e instanceof PoolShapeError) throw shapeError(at, layer.type, e.message);
    throw e;
  }
}

function convLayer(at: Where, layer: LayerSpec & { type: 'conv2d' }, shape: readonly number[], batch: number): LayerShape {
  const [c, h, w] = needFeatureMap(at, layer, shape);
  const [kh, kw] = layer.kernel_size;
  let g;
  try {
    g = conv2dGeometry([batch, c, h, w], [layer.out_channels, c / layer.groups, kh, kw], {
      stride: layer.stride, padding: layer.padding, dilation: layer.dilation, groups: layer.groups,
    });
    // PyTorch's limits of the padding mode against this input (reflect: padding < size, …).
    if (layer.padding_mode) splitPaddedConv(g, layer.padding_mode);
  } catch (e) {
    if (e instanceof ConvShapeError) throw shapeError(at, layer.type, e.message);
    throw e;
  }
  const o = layer.out_channels;
  const weight = [o, c / layer.groups, kh, kw];
  const paramTensors: ParamTensor[] = [{ name: `${at.path}.weight`, shape: weight, kind: 'parameter' }];
  if (layer.bias) paramTensors.push({ name: `${at.path}.bias`, shape: [o], kind: 'parameter' });
  const L = outputPixels(g);
  return {
    index: at.index, path: at.path, type: layer.type, inputShape: [c, h, w], outputShape: [o, g.outHeight, g.outWidth],
    params: product(weight) + (layer.bias ? o : 0),
    paramTensors,
    forwardFlops: 2 * o * L * columnRowsPerGroup(g) + (layer.bias ? o * L : 0),
    gemms: {
      forward: summarise(forwardGemm(g)),
      gradInput: summarise(gradInputGemm(g)),
      gradWeight: summarise(gradWeightGemm(g, true)),
    },
    columnMatrix: { rows: columnRows(g), cols: L, elementsPerSample: columnRows(g) * L, elementsPerBatch: columnElements(g) },
  };
}

// F.linear is addmm(bias, x, Wᵀ) with x (N, F) and W (O, F):
//   forward      y  = x · Wᵀ     m=N, n=O, k=F  ('n','t')
//   grad-input   dx = dy · W     m=N, n=F, k=O  ('n','n')
//   grad-weight  dW = dyᵀ · x    m=O, n=F, k=N  ('t','n')
function linearLayer(at: Where, layer: LayerSpec & { type: 'linear' }, shape: readonly number[], batch: number): LayerShape {
  if (shape.length !== 1) {
    throw shapeError(at, layer.type, `receives a ${dims(shape)} feature map: add flatten before it`, true);
  }
  const f = shape[0]!;
  const o = layer.out_features;
  const paramTensors: ParamTensor[] = [{ name: `${at.path}.weight`, shape: [o, f], kind: 'parameter' }];
  if (layer.bias) paramTensors.push({ name: `${at.path}.bias`, shape: [o], kind: 'parameter' });
  return {
    index: at.index, path: at.path, type: layer.type, inputShape: [f], outputShape: [o],
    params: o * f + (layer.bias ? o : 0),
    paramTensors,
    forwardFlops: 2 * o * f + (layer.bias ? o : 0),
    gemms: {
      forward: summarise(gemmSpec({ m: batch, n: o, k: f, transB: true })),
      gradInput: summarise(gemmSpec({ m: batch, n: f, k: o })),
      gradWeight: summarise(gemmSpec({ m: o, n: f, k: batch, transA: true, beta: 1 })),
    },
  };
}

function simpleLayer(at: Where, layer: LayerSpec, shape: number[], outputShape: number[], forwardFlops: number, paramTensors: ParamTensor[] = []): LayerShape {
  const params = paramTensors.filter((t) => t.kind === 'parameter').reduce((s, t) => s + product(t.shape), 0);
  return { index: at.index, path: at.path, type: layer.type, inputShape: shape, outputShape, params, paramTensors, forwardFlops };
}

function inferLayer(at: Where, layer: LayerSpec, shape: number[], batch: number): LayerShape {
  const elements = product(shape);
  switch (layer.type) {
    case 'conv2d':
      return convLayer(at, layer, shape, batch);
    case 'linear':
      return linearLayer(at, layer, shape, batch);
    case 'relu':
    case 'leaky_relu':
    case 'sigmoid':
    case 'tanh':
    case 'gelu':
    case 'silu':
    case 'dropout':
      return simpleLayer(at, layer, shape, [...shape], elements);
    case 'adaptive_avg_pool2d': {
      const [c] = needFeatureMap(at, layer, shape);
      return simpleLayer(at, layer, shape, [c, 1, 1], elements);
    }
    case 'flatten':
      return simpleLayer(at, layer, shape, [elements], 0);
    case 'max_pool2d':
    case 'avg_pool2d': {
      const out = poolShape(at, layer, shape);
      return simpleLayer(at, layer, shape, out, product(out) * layer.kernel_size[0] * layer.kernel_size[1]);
    }
    case 'batch_norm2d': {
      const [c] = needFeatureMap(at, layer, shape);
      const tensors: ParamTensor[] = [];
      if (layer.affine) {
        tensors.push({ name: `${at.path}.weight`, shape: [c], kind: 'parameter' });
        tensors.push({ name: `${at.path}.bias`, shape: [c], kind: 'parameter' });
      }
      tensors.push({ name: `${at.path}.running_mean`, shape: [c], kind: 'buffer' });
      tensors.push({ name: `${at.path}.running_var`, shape: [c], kind: 'buffer' });
      tensors.push({ name: `${at.path}.num_batches_tracked`, shape: [], kind: 'buffer' });
      return simpleLayer(at, layer, shape, [...shape], 2 * elements, tensors);
    }
    case 'residual':
      return residualLayer(at, layer, shape, batch);
  }
}

/** A branch of a block (or the model): each layer's shape from the one before. */
function inferBranch(layers: readonly LayerSpec[], index: number | null, prefix: string, input: number[], batch: number): LayerShape[] {
  let shape = input;
  return layers.map((layer, i) => {
    const info = inferLayer({ index: index ?? i, path: `${prefix}${i}` }, layer, shape, batch);
    shape = info.outputShape;
    return info;
  });
}

const outputOf = (branch: LayerShape[], input: number[]): number[] => branch[branch.length - 1]?.outputShape ?? input;

// out = body(x) + shortcut(x): both must give one shape; the add costs one FLOP per element.
function residualLayer(at: Where, layer: LayerSpec & { type: 'residual' }, shape: number[], batch: number): LayerShape {
  const body = inferBranch(layer.body, at.index, `${at.path}.body.`, shape, batch);
  const shortcut = layer.shortcut ? inferBranch(layer.shortcut, at.index, `${at.path}.shortcut.`, shape, batch) : null;
  const fromBody = outputOf(body, shape);
  const fromShortcut = shortcut ? outputOf(shortcut, shape) : shape;
  if (dims(fromBody) !== dims(fromShortcut)) {
    const hint = shortcut
      ? 'make the shortcut end in the same shape'
      : `give it a projection shortcut, e.g. res(… ; conv(${fromBody[0]},1${fromBody[1] !== shape[1] ? `,s=${Math.round(shape[1]! / fromBody[1]!)}` : ''}) bn)`;
    throw shapeError(at, layer.type, `the body gives ${dims(fromBody)} but the ${shortcut ? 'shortcut' : 'identity shortcut (the block input)'} gives ${dims(fromShortcut)}: ${hint}`);
  }
  const all = [...body, ...(shortcut ?? [])];
  return {
    index: at.index, path: at.path, type: layer.type, inputShape: shape, outputShape: fromBody,
    params: all.reduce((s, l) => s + l.params, 0),
    paramTensors: all.flatMap((l) => l.paramTensors),
    forwardFlops: all.reduce((s, l) => s + l.forwardFlops, 0) + product(fromBody),
    body,
    shortcut,
  };
}

/** Every layer that is not a residual block, depth first (a block's body, then its shortcut). */
export function leafShapes(layers: readonly LayerShape[]): LayerShape[] {
  return layers.flatMap((l) => (l.body ? [...leafShapes(l.body), ...leafShapes(l.shortcut ?? [])] : [l]));
}

/** Shapes, parameters, FLOPs and GEMMs of every layer; throws ModelShapeError naming the first layer that does not fit. */
export function inferShapes(spec: ModelSpec, batch = 1): ModelShapes {
  if (!Number.isInteger(batch) || batch < 1) throw new ModelSpecError(`inferShapes: batch must be a positive integer, got ${batch}`);
  const layers = inferBranch(spec.layers, null, '', [...spec.input], batch);
  const shape = outputOf(layers, [...spec.input]);
  return {
    batch,
    input: [...spec.input],
    output: shape,
    outputSize: product(shape),
    layers,
    totalParams: layers.reduce((s, l) => s + l.params, 0),
    totalFlops: layers.reduce((s, l) => s + l.forwardFlops, 0),
  };
}
