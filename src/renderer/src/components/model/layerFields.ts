// The editable fields of each layer type, and the round trip between a layer and the strings
// in its inline form. Sizes accept what the text form accepts: "3", "3x2" (or "3,2"); conv
// padding also 'same' and 'valid'; a choice field (padding_mode) is one of its options. Values are checked by buildLayer (the store), which reports
// ranges in PyTorch's words; here only the syntax of a field is checked.

import type { LayerInit, LayerSpec, LayerType, Pair } from '../../../../engine/model';
import { blockFromText, blockText } from './analysis';

export type FieldKind = 'int' | 'number' | 'pair' | 'padding' | 'bool' | 'choice';

export interface FieldDef {
  key: string;
  label: string;
  kind: FieldKind;
  /** Shown as the input's title: what the field means in PyTorch terms. */
  help: string;
  /** kind 'choice': the values, the first being the default a spec leaves out. */
  options?: readonly string[];
}

const pairHelp = (what: string) => `${what}: one number, or H×W as "3x2"`;

export const LAYER_FIELDS: Record<LayerType, FieldDef[]> = {
  conv2d: [
    { key: 'out_channels', label: 'out', kind: 'int', help: 'Output channels (number of filters)' },
    { key: 'kernel_size', label: 'kernel', kind: 'pair', help: pairHelp('Kernel size') },
    { key: 'stride', label: 'stride', kind: 'pair', help: pairHelp('Stride') },
    { key: 'padding', label: 'padding', kind: 'padding', help: 'Padding: a number, H×W, "same" or "valid"' },
    { key: 'padding_mode', label: 'mode', kind: 'choice', options: ['zeros', 'reflect', 'replicate', 'circular'], help: 'What the padding holds: zeros, or the border reflected, replicated or wrapped around (padding_mode)' },
    { key: 'dilation', label: 'dilation', kind: 'pair', help: pairHelp('Dilation') },
    { key: 'groups', label: 'groups', kind: 'int', help: 'Groups (in and out channels must divide by it)' },
    { key: 'bias', label: 'bias', kind: 'bool', help: 'Learn a bias per output channel' },
  ],
  linear: [
    { key: 'out_features', label: 'out', kind: 'int', help: 'Output features' },
    { key: 'bias', label: 'bias', kind: 'bool', help: 'Learn a bias per output feature' },
  ],
  relu: [],
  sigmoid: [],
  tanh: [],
  gelu: [],
  silu: [],
  adaptive_avg_pool2d: [],
  leaky_relu: [{ key: 'negative_slope', label: 'slope', kind: 'number', help: 'Slope for negative inputs' }],
  max_pool2d: [
    { key: 'kernel_size', label: 'kernel', kind: 'pair', help: pairHelp('Window size') },
    { key: 'stride', label: 'stride', kind: 'pair', help: pairHelp('Stride (PyTorch default: the window size)') },
    { key: 'padding', label: 'padding', kind: 'pair', help: pairHelp('Padding (at most half the window)') },
    { key: 'dilation', label: 'dilation', kind: 'pair', help: pairHelp('Dilation') },
    { key: 'ceil_mode', label: 'ceil', kind: 'bool', help: 'Round the output size up (ceil_mode)' },
  ],
  avg_pool2d: [
    { key: 'kernel_size', label: 'kernel', kind: 'pair', help: pairHelp('Window size') },
    { key: 'stride', label: 'stride', kind: 'pair', help: pairHelp('Stride (PyTorch default: the window size)') },
    { key: 'padding', label: 'padding', kind: 'pair', help: pairHelp('Padding (at most half the window)') },
    { key: 'ceil_mode', label: 'ceil', kind: 'bool', help: 'Round the output size up (ceil_mode)' },
    { key: 'count_include_pad', label: 'count pad', kind: 'bool', help: 'Count padded zeros in the average' },
  ],
  flatten: [],
  dropout: [{ key: 'p', label: 'p', kind: 'number', help: 'Probability of zeroing an element (0..1)' }],
  // Edited as one text, the block's `BODY ; SHORTCUT` (draft key 'block'; LayerEditor shows it).
  residual: [],
  batch_norm2d: [
    { key: 'eps', label: 'eps', kind: 'number', help: 'Added to the variance for stability' },
    { key: 'momentum', label: 'momentum', kind: 'number', help: 'Running-statistics momentum (0..1)' },
    { key: 'affine', label: 'affine', kind: 'bool', help: 'Learn a scale and shift per channel' },
  ],
};

export type Draft = Record<string, string | boolean>;

const pairText = (p: Pair): string => (p[0] === p[1] ? String(p[0]) : `${p[0]}x${p[1]}`);

export function draftFromLayer(layer: LayerSpec): Draft {
  if (layer.type === 'residual') return { block: blockText(layer) };
  const draft: Draft = {};
  const values = layer as unknown as Record<string, unknown>;
  for (const field of LAYER_FIELDS[layer.type]) {
    const v = values[field.key];
    if (field.kind === 'bool') draft[field.key] = v === true;
    else if (field.kind === 'choice') draft[field.key] = typeof v === 'string' ? v : field.options![0]!;
    else if (Array.isArray(v)) draft[field.key] = pairText(v as Pair);
    else draft[field.key] = String(v);
  }
  return draft;
}

export class FieldError extends Error {
  override name = 'FieldError';
}

function parseNumber(text: string, label: string, integer: boolean): number {
  const t = text.trim();
  const n = Number(t);
  if (t === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new FieldError(`${label}: "${text}" is not ${integer ? 'a whole number' : 'a number'}`);
  }
  return n;
}

function parsePair(text: string, label: string): number | [number, number] {
  const parts = text.trim().split(/\s*[x×,]\s*/i);
  if (parts.length === 1) return parseNumber(parts[0]!, label, true);
  if (parts.length === 2) return [parseNumber(parts[0]!, label, true), parseNumber(parts[1]!, label, true)];
  throw new FieldError(`${label}: "${text}" should be one number or two as "3x2"`);
}

/** The layer described by a draft; throws FieldError naming the field whose syntax is wrong. */
export function initFromDraft(type: LayerType, draft: Draft): LayerInit | LayerSpec {
  if (type === 'residual') {
    try {
      return blockFromText(String(draft.block ?? ''));
    } catch (e) {
      throw new FieldError(`layers: ${(e as Error).message}`);
    }
  }
  const init: Record<string, unknown> = { type };
  for (const field of LAYER_FIELDS[type]) {
    const v = draft[field.key];
    if (field.kind === 'bool') {
      init[field.key] = v === true;
      continue;
    }
    const text = String(v ?? '');
    if (field.kind === 'choice') {
      if (v === undefined) {
        init[field.key] = field.options![0]; // a draft from before the field existed: the default
        continue;
      }
      if (!field.options!.includes(text)) throw new FieldError(`${field.label}: "${text}" is not one of ${field.options!.join(', ')}`);
      init[field.key] = text;
      continue;
    }
    if (field.kind === 'int') init[field.key] = parseNumber(text, field.label, true);
    else if (field.kind === 'number') init[field.key] = parseNumber(text, field.label, false);
    else if (field.kind === 'padding' && /^(same|valid)$/i.test(text.trim())) init[field.key] = text.trim().toLowerCase();
    else init[field.key] = parsePair(text, field.label);
  }
  return init as unknown as LayerInit;
}
