// The JSON form: {"format": "convlab-model/1", "input": [C, H, W], "layers": [...]}.
//
// Reading is lenient the way PyTorch is (ints for pairs, defaults may be left out, 'valid'),
// writing (canonicalJson.ts) is strict. Unknown keys are errors: a typo such as "strides" would
// otherwise silently train a different model.
//
// linear.in_features may be given as a check: it is compared with the inferred size here and
// then dropped, because the canonical form stores nothing that follows from the input.
// A residual block is {"type": "residual", "body": [...], "shortcut": [...] | null}; its layers are
// read like the top level's, and errors name their path (`layers[4].body[1].kernel_size`).

import { z } from 'zod';
import { LayerValueError, ModelJsonError, ModelShapeError } from './errors';
import { inferShapes, leafShapes } from './infer';
import { buildLayer, buildModel, type LayerInit } from './layers';
import { LAYER_TYPES, MODEL_FORMAT, type LayerSpec, type LayerType, type ModelSpec } from './spec';
import { didYouMean } from './suggest';

const size = z.union([z.number(), z.tuple([z.number(), z.number()])], {
  error: 'expected an integer or a pair [h, w]',
});
const num = z.number();
const bool = z.boolean();

const LAYER_SCHEMAS: Record<LayerType, z.ZodType> = {
  conv2d: z.strictObject({
    type: z.literal('conv2d'),
    out_channels: num,
    kernel_size: size,
    stride: size.optional(),
    padding: z.union([z.number(), z.tuple([z.number(), z.number()]), z.literal('same'), z.literal('valid')], {
      error: "expected an integer, a pair [h, w], 'same' or 'valid'",
    }).optional(),
    padding_mode: z.enum(['zeros', 'reflect', 'replicate', 'circular'], { error: "expected 'zeros', 'reflect', 'replicate' or 'circular'" }).optional(),
    dilation: size.optional(),
    groups: num.optional(),
    bias: bool.optional(),
  }),
  linear: z.strictObject({ type: z.literal('linear'), in_features: num.optional(), out_features: num, bias: bool.optional() }),
  relu: z.strictObject({ type: z.literal('relu') }),
  leaky_relu: z.strictObject({ type: z.literal('leaky_relu'), negative_slope: num.optional() }),
  sigmoid: z.strictObject({ type: z.literal('sigmoid') }),
  tanh: z.strictObject({ type: z.literal('tanh') }),
  gelu: z.strictObject({ type: z.literal('gelu') }),
  silu: z.strictObject({ type: z.literal('silu') }),
  adaptive_avg_pool2d: z.strictObject({ type: z.literal('adaptive_avg_pool2d'), output_size: size.optional() }),
  max_pool2d: z.strictObject({
    type: z.literal('max_pool2d'),
    kernel_size: size,
    stride: size.nullable().optional(),
    padding: size.optional(),
    dilation: size.optional(),
    ceil_mode: bool.optional(),
  }),
  avg_pool2d: z.strictObject({
    type: z.literal('avg_pool2d'),
    kernel_size: size,
    stride: size.nullable().optional(),
    padding: size.optional(),
    ceil_mode: bool.optional(),
    count_include_pad: bool.optional(),
  }),
  flatten: z.strictObject({ type: z.literal('flatten') }),
  dropout: z.strictObject({ type: z.literal('dropout'), p: num.optional() }),
  batch_norm2d: z.strictObject({
    type: z.literal('batch_norm2d'), eps: num.optional(), momentum: num.optional(), affine: bool.optional(),
  }),
  // The branches' layers are checked one by one below (parseLayer), with their own paths.
  residual: z.strictObject({
    type: z.literal('residual'),
    body: z.array(z.unknown(), { error: 'expected an array of layers' }),
    shortcut: z.array(z.unknown(), { error: 'expected an array of layers, or null for the identity' }).nullable().optional(),
  }),
};

const TOP = z.strictObject({
  format: z.string(),
  input: z.array(z.number()),
  layers: z.array(z.unknown()),
});

function pathOf(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

function check<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new ModelJsonError(pathOf(prefix, issue.path), issue.message);
}

/** A linear's in_features to compare with the inferred size, by the layer's state_dict path. */
interface InFeaturesCheck {
  path: string;
  inFeatures: number;
}

function parseLayer(raw: unknown, where: string, path: string, checks: InFeaturesCheck[]): LayerSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ModelJsonError(where, 'expected an object with a "type"');
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string') throw new ModelJsonError(`${where}.type`, `expected one of ${LAYER_TYPES.join(', ')}`);
  if (!(LAYER_TYPES as readonly string[]).includes(type)) {
    throw new ModelJsonError(`${where}.type`, `unknown layer type "${type}"${didYouMean(type, LAYER_TYPES)}`);
  }
  const init = check(LAYER_SCHEMAS[type as LayerType], raw, where) as LayerInit & { in_features?: number };
  if (init.type === 'residual') {
    const branch = (name: 'body' | 'shortcut', layers: readonly unknown[]) =>
      layers.map((l, j) => parseLayer(l, `${where}.${name}[${j}]`, `${path}.${name}.${j}`, checks));
    const body = branch('body', init.body as unknown[]);
    const shortcut = init.shortcut ? branch('shortcut', init.shortcut as unknown[]) : null;
    try {
      return buildLayer({ type: 'residual', body, shortcut });
    } catch (e) {
      if (e instanceof LayerValueError) throw new ModelJsonError(where, `residual: ${e.message}`);
      throw e;
    }
  }
  if (init.in_features !== undefined) checks.push({ path, inFeatures: init.in_features });
  try {
    return buildLayer(init);
  } catch (e) {
    if (e instanceof LayerValueError) throw new ModelJsonError(where, `${type}: ${e.message}`);
    throw e;
  }
}

/** JSON text or an already parsed value → canonical ModelSpec. */
export function parseJson(source: string | unknown): ModelSpec {
  let value: unknown = source;
  if (typeof source === 'string') {
    try {
      value = JSON.parse(source);
    } catch (e) {
      throw new ModelJsonError('', `not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelJsonError('', `expected an object {"format": "${MODEL_FORMAT}", "input": [C, H, W], "layers": [...]}`);
  }
  const format = (value as { format?: unknown }).format;
  if (format !== MODEL_FORMAT) {
    throw new ModelJsonError('format', `expected "${MODEL_FORMAT}", got ${JSON.stringify(format) ?? 'nothing'}`);
  }
  const top = check(TOP, value, '');
  const checks: InFeaturesCheck[] = [];
  const parsed = top.layers.map((raw, i) => parseLayer(raw, `layers[${i}]`, String(i), checks));
  let spec: ModelSpec;
  try {
    spec = buildModel(top.input, parsed);
  } catch (e) {
    if (e instanceof LayerValueError) throw new ModelJsonError(e.message.startsWith('input') ? 'input' : 'layers', e.message);
    throw e;
  }
  if (checks.length > 0) {
    const byPath = new Map(leafShapes(inferShapes(spec).layers).map((l) => [l.path, l]));
    for (const c of checks) {
      const shape = byPath.get(c.path)!;
      const received = shape.inputShape[0]!;
      if (c.inFeatures !== received) {
        throw new ModelShapeError(shape.index, 'linear', `expects ${c.inFeatures} inputs but receives ${received}`, true, c.path);
      }
    }
  }
  return spec;
}
