// Pure helpers behind the model builder: what each layer receives/produces/costs up to the
// first layer that does not fit, new layers with sensible starting values, and GEMM labels in
// the terms of the original SpatialConvolutionMM write-up.
//
// Why a partial analysis: inferShapes throws at the first bad layer, but the user still wants
// to see the shapes of every layer before it (that is how they find out what to change), so the
// layers before the failing one are inferred again on their own.

import { ModelShapeError, ModelSyntaxError, buildLayer, formatLayer, inferShapes, parseTextLayers, MODEL_FORMAT } from '../../../../engine/model';
import type { GemmSummary, InputShape, LayerShape, LayerSpec, LayerType, ModelSpec } from '../../../../engine/model';

export interface ModelAnalysis {
  layers: LayerShape[];
  /** The layer the shape check stopped at (nn.Sequential index) and why; null when all fit. */
  error: { index: number; message: string } | null;
  totalParams: number;
  totalFlops: number;
  /** Per-sample output shape, when every layer fits. */
  output: number[] | null;
}

export function modelSpec(input: InputShape, layers: readonly LayerSpec[]): ModelSpec {
  return { format: MODEL_FORMAT, input: [...input] as InputShape, layers: [...layers] };
}

export function analyseModel(input: InputShape, layers: readonly LayerSpec[], batch: number): ModelAnalysis {
  if (layers.length === 0) {
    return { layers: [], error: { index: -1, message: 'The model has no layers: add one, or start from a preset' }, totalParams: 0, totalFlops: 0, output: null };
  }
  try {
    const shapes = inferShapes(modelSpec(input, layers), batch);
    return { layers: shapes.layers, error: null, totalParams: shapes.totalParams, totalFlops: shapes.totalFlops, output: shapes.output };
  } catch (e) {
    if (!(e instanceof ModelShapeError)) {
      return { layers: [], error: { index: -1, message: (e as Error).message }, totalParams: 0, totalFlops: 0, output: null };
    }
    const before = e.layerIndex > 0 ? inferShapes(modelSpec(input, layers.slice(0, e.layerIndex)), batch).layers : [];
    return {
      layers: before,
      error: { index: e.layerIndex, message: e.message },
      totalParams: before.reduce((s, l) => s + l.params, 0),
      totalFlops: before.reduce((s, l) => s + l.forwardFlops, 0),
      output: null,
    };
  }
}

/** A new layer of a type, with values that usually fit where users add it. */
export function defaultLayer(type: LayerType): LayerSpec {
  switch (type) {
    case 'conv2d':
      return buildLayer({ type, out_channels: 8, kernel_size: 3, padding: 1 });
    case 'linear':
      return buildLayer({ type, out_features: 10 });
    case 'max_pool2d':
      return buildLayer({ type, kernel_size: 2 });
    case 'avg_pool2d':
      return buildLayer({ type, kernel_size: 2 });
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'gelu':
    case 'silu':
    case 'flatten':
      return buildLayer({ type });
    case 'adaptive_avg_pool2d':
      return buildLayer({ type });
    case 'leaky_relu':
      return buildLayer({ type });
    case 'dropout':
      return buildLayer({ type });
    case 'batch_norm2d':
      return buildLayer({ type });
    case 'residual':
      // A basic block; keeps the shape when its input has 16 channels (a ResNet's first stage).
      return parseTextLayers('res(conv(16,3,p=1,bias=false) bn relu conv(16,3,p=1,bias=false) bn)').map(buildLayer)[0]!;
  }
}

export const LAYER_LABELS: Record<LayerType, string> = {
  conv2d: 'Conv2d',
  linear: 'Linear',
  relu: 'ReLU',
  leaky_relu: 'LeakyReLU',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  gelu: 'GELU',
  silu: 'SiLU',
  max_pool2d: 'MaxPool2d',
  avg_pool2d: 'AvgPool2d',
  adaptive_avg_pool2d: 'AdaptiveAvgPool2d(1)',
  flatten: 'Flatten',
  dropout: 'Dropout',
  batch_norm2d: 'BatchNorm2d',
  residual: 'Residual',
};

/** A residual block's inner text, as its editor shows it: `BODY` or `BODY ; SHORTCUT`. */
export function blockText(layer: LayerSpec & { type: 'residual' }): string {
  return formatLayer(layer).replace(/^res\(/, '').replace(/\)$/, '');
}

/** The block that inner text describes; throws the parser's message (columns count from the
 *  start of the inner text). */
export function blockFromText(text: string): LayerSpec {
  const prefix = 'res(';
  try {
    const [layer, ...rest] = parseTextLayers(`${prefix}${text})`).map(buildLayer);
    if (rest.length > 0 || layer?.type !== 'residual') throw new Error('write the layers of one block: BODY or BODY ; SHORTCUT');
    return layer;
  } catch (e) {
    if (e instanceof ModelSyntaxError) throw new Error(`at column ${Math.max(1, e.column - prefix.length)}: ${e.detail}`);
    throw e;
  }
}

/** BLAS-style transpose flags, as the original write-up prints them: gemm('n', 't', ...). */
export function transLabel(g: Pick<GemmSummary, 'transA' | 'transB'>): string {
  return `'${g.transA ? 't' : 'n'}', '${g.transB ? 't' : 'n'}'`;
}

/** The formula of each conv GEMM in the write-up's names (weight is M×K, columns K×N). */
export const CONV_GEMM_FORMULAS = {
  forward: 'output = weight · columns',
  gradInput: 'gradColumns = weightᵀ · gradOutput',
  gradWeight: 'gradWeight += gradOutput · columnsᵀ',
} as const;

export const LINEAR_GEMM_FORMULAS = {
  forward: 'y = x · Wᵀ',
  gradInput: 'dx = dy · W',
  gradWeight: 'dW = dyᵀ · x',
} as const;
