// The compact text form: `conv(8,3,p=1) relu maxpool(2) flatten linear(10)`.
//
//   model  := layer ((',' | whitespace) layer)*
//   layer  := name [ '(' [arg (',' arg)*] ')' ] | block
//   block  := ('res' | 'residual') '(' model [';' model] ')'     (body ; shortcut)
//   arg    := value | key '=' value | flag
//   value  := int | number | HxW | same | valid | true | false | zeros | reflect | replicate | circular
//
// Each layer's arguments are described as data (TEXT_LAYERS) and turned into a LayerInit;
// layers.ts then fills defaults and checks ranges, exactly as for the JSON form.

import { LayerValueError, ModelSyntaxError } from './errors';
import { PADDING_MODES, buildLayer, buildModel, type LayerInit } from './layers';
import type { LayerType, ModelSpec } from './spec';
import { didYouMean } from './suggest';
import { tokenize, type Token } from './textLexer';

type ValueKind = 'int' | 'size' | 'number' | 'padding' | 'bool' | 'padding_mode';

interface Field {
  field: string;
  kind: ValueKind;
}

interface TextLayerRule {
  type: LayerType;
  /** Positional arguments in order; the first `required` must be given. */
  positional: Field[];
  required: number;
  /** Option keys (short and PyTorch spellings) → field. */
  options: Record<string, Field>;
  /** Bare words that set a field to a fixed value. */
  flags: Record<string, { field: string; value: boolean }>;
  /** Shown when the required arguments are missing. */
  example: string;
}

const size = (field: string): Field => ({ field, kind: 'size' });
const int = (field: string): Field => ({ field, kind: 'int' });
const num = (field: string): Field => ({ field, kind: 'number' });
const bool = (field: string): Field => ({ field, kind: 'bool' });

const CONV: TextLayerRule = {
  type: 'conv2d',
  positional: [int('out_channels'), size('kernel_size')],
  required: 2,
  options: {
    s: size('stride'), stride: size('stride'),
    p: { field: 'padding', kind: 'padding' }, padding: { field: 'padding', kind: 'padding' },
    pm: { field: 'padding_mode', kind: 'padding_mode' }, padding_mode: { field: 'padding_mode', kind: 'padding_mode' },
    d: size('dilation'), dilation: size('dilation'),
    g: int('groups'), groups: int('groups'),
    bias: bool('bias'),
  },
  flags: {},
  example: '(out, k), e.g. conv(8,3,p=1)',
};
const LINEAR: TextLayerRule = {
  type: 'linear', positional: [int('out_features')], required: 1, options: { bias: bool('bias') }, flags: {},
  example: '(out), e.g. linear(10)',
};
const LEAKY_RELU: TextLayerRule = {
  type: 'leaky_relu', positional: [num('negative_slope')], required: 0,
  options: { slope: num('negative_slope'), negative_slope: num('negative_slope') }, flags: {}, example: 'lrelu(0.1)',
};
const POOL_OPTIONS = {
  s: size('stride'), stride: size('stride'), p: size('padding'), padding: size('padding'),
};
const MAX_POOL: TextLayerRule = {
  type: 'max_pool2d', positional: [size('kernel_size')], required: 1,
  options: { ...POOL_OPTIONS, d: size('dilation'), dilation: size('dilation') },
  flags: { ceil: { field: 'ceil_mode', value: true } },
  example: '(k), e.g. maxpool(2)',
};
const AVG_POOL: TextLayerRule = {
  type: 'avg_pool2d', positional: [size('kernel_size')], required: 1, options: POOL_OPTIONS,
  flags: { ceil: { field: 'ceil_mode', value: true }, nopad: { field: 'count_include_pad', value: false } },
  example: '(k), e.g. avgpool(2)',
};
const GLOBAL_AVG_POOL: TextLayerRule = {
  type: 'adaptive_avg_pool2d', positional: [size('output_size')], required: 0,
  options: { output_size: size('output_size') }, flags: {}, example: 'gap',
};
const DROPOUT: TextLayerRule = {
  type: 'dropout', positional: [num('p')], required: 0, options: { p: num('p') }, flags: {}, example: 'dropout(0.5)',
};
const BATCH_NORM: TextLayerRule = {
  type: 'batch_norm2d', positional: [], required: 0,
  options: { eps: num('eps'), momentum: num('momentum'), affine: bool('affine') }, flags: {}, example: 'bn',
};
const bare = (type: LayerType): TextLayerRule => ({ type, positional: [], required: 0, options: {}, flags: {}, example: type });

/** Every accepted layer name; the first of each group is what formatText writes. */
export const TEXT_LAYERS: Record<string, TextLayerRule> = {
  conv: CONV, conv2d: CONV,
  linear: LINEAR,
  relu: bare('relu'),
  lrelu: LEAKY_RELU, leakyrelu: LEAKY_RELU, leaky_relu: LEAKY_RELU,
  sigmoid: bare('sigmoid'), tanh: bare('tanh'), gelu: bare('gelu'), silu: bare('silu'),
  maxpool: MAX_POOL, maxpool2d: MAX_POOL, max_pool2d: MAX_POOL,
  avgpool: AVG_POOL, avgpool2d: AVG_POOL, avg_pool2d: AVG_POOL,
  gap: GLOBAL_AVG_POOL, adaptiveavgpool: GLOBAL_AVG_POOL, adaptive_avg_pool2d: GLOBAL_AVG_POOL,
  flatten: bare('flatten'),
  dropout: DROPOUT,
  bn: BATCH_NORM, batchnorm: BATCH_NORM, batchnorm2d: BATCH_NORM, batch_norm2d: BATCH_NORM,
};

const RESIDUAL_NAMES = ['res', 'residual'];
const LAYER_NAMES = [...Object.keys(TEXT_LAYERS), ...RESIDUAL_NAMES];
const BLOCK_EXAMPLE = 'res(conv(16,3,p=1) bn relu conv(16,3,p=1) bn) or res(conv(32,3,s=2,p=1) bn ; conv(32,1,s=2) bn)';

function describe(t: Token): string {
  return t.kind === 'end' ? 'the end of the text' : `"${t.text}"`;
}

function valueOf(t: Token, f: Field, layer: string): number | [number, number] | boolean | string {
  const wrong = (want: string): never => {
    throw new ModelSyntaxError(t.column, t.text, `${layer} ${f.field} must be ${want}, got ${describe(t)}`);
  };
  switch (f.kind) {
    case 'bool':
      if (t.kind === 'name' && (t.text === 'true' || t.text === 'false')) return t.text === 'true';
      return wrong('true or false');
    case 'number':
      if (t.kind === 'number') return t.value as number;
      return wrong('a number');
    case 'int':
      if (t.kind === 'number' && Number.isInteger(t.value)) return t.value as number;
      return wrong('an integer');
    case 'padding_mode':
      if (t.kind === 'name' && (PADDING_MODES as readonly string[]).includes(t.text)) return t.text;
      return wrong(PADDING_MODES.join(', '));
    case 'padding':
      if (t.kind === 'name' && (t.text === 'same' || t.text === 'valid')) return t.text;
      if (t.kind === 'size' || (t.kind === 'number' && Number.isInteger(t.value))) return t.value as number | [number, number];
      return wrong('an integer, HxW, same or valid');
    case 'size':
      if (t.kind === 'size' || (t.kind === 'number' && Number.isInteger(t.value))) return t.value as number | [number, number];
      return wrong('an integer or HxW (e.g. 3x5)');
  }
}

class TextParser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.at]!;
  }
  private next(): Token {
    return this.tokens[this.at++]!;
  }
  private expect(kind: Token['kind'], what: string): Token {
    const t = this.next();
    if (t.kind !== kind) throw new ModelSyntaxError(t.column, t.text, `expected ${what}, got ${describe(t)}`);
    return t;
  }

  /** Layers up to the end of the text, or inside a block up to its ';' or ')'. */
  layers(inBlock = false): LayerInit[] {
    const out: LayerInit[] = [];
    const atStop = () => {
      const k = this.peek().kind;
      return k === 'end' || (inBlock && (k === ';' || k === ')'));
    };
    while (this.peek().kind === ',') this.next();
    while (!atStop()) {
      out.push(this.layer());
      while (this.peek().kind === ',') this.next();
    }
    return out;
  }

  private layer(): LayerInit {
    const nameToken = this.peek();
    if (nameToken.kind !== 'name') {
      throw new ModelSyntaxError(nameToken.column, nameToken.text, `expected a layer name, got ${describe(nameToken)}`);
    }
    this.next();
    const name = nameToken.text;
    if (RESIDUAL_NAMES.includes(name)) return this.block(nameToken);
    const rule = TEXT_LAYERS[name];
    if (rule === undefined) {
      throw new ModelSyntaxError(nameToken.column, name, `unknown layer "${name}"${didYouMean(name, LAYER_NAMES)}`);
    }
    const init: Record<string, unknown> = { type: rule.type };
    const given = new Set<string>();
    const set = (field: string, value: unknown, t: Token) => {
      if (given.has(field)) throw new ModelSyntaxError(t.column, t.text, `${name} ${field} is given twice`);
      given.add(field);
      init[field] = value;
    };

    let positional = 0;
    if (this.peek().kind === '(') {
      this.next();
      if (this.peek().kind !== ')') {
        for (;;) {
          this.argument(name, rule, positional, set);
          positional = rule.positional.filter((f) => given.has(f.field)).length;
          if (this.peek().kind === ',') {
            this.next();
            continue;
          }
          this.expect(')', `"," or ")" to close ${name}(`);
          break;
        }
      } else {
        this.next();
      }
    }
    const missing = rule.positional.slice(0, rule.required).find((f) => !given.has(f.field));
    if (missing !== undefined) {
      throw new ModelSyntaxError(nameToken.column, name, `${name} needs ${rule.example}; ${missing.field} is missing`);
    }
    try {
      buildLayer(init as unknown as LayerInit);
    } catch (e) {
      if (e instanceof LayerValueError) throw new ModelSyntaxError(nameToken.column, name, `${name}: ${e.message}`);
      throw e;
    }
    return init as unknown as LayerInit;
  }

  /** res(BODY) or res(BODY ; SHORTCUT); the layers inside are read as at the top level. */
  private block(nameToken: Token): LayerInit {
    const name = nameToken.text;
    const open = this.next();
    if (open.kind !== '(') throw new ModelSyntaxError(open.column, open.text, `${name} needs its layers in parentheses, e.g. ${BLOCK_EXAMPLE}`);
    const body = this.layers(true);
    if (body.length === 0) throw new ModelSyntaxError(this.peek().column, this.peek().text, `${name} needs at least one layer in its body, e.g. ${BLOCK_EXAMPLE}`);
    let shortcut: LayerInit[] | null = null;
    if (this.peek().kind === ';') {
      const semicolon = this.next();
      shortcut = this.layers(true);
      if (shortcut.length === 0) {
        throw new ModelSyntaxError(semicolon.column, ';', `${name} has an empty shortcut after ";": give its layers (e.g. conv(32,1,s=2) bn), or leave ";" out for the identity`);
      }
    }
    const close = this.next();
    if (close.kind !== ')') {
      const what = close.kind === ';' ? 'a second ";" (a block has one body and one shortcut)' : describe(close);
      throw new ModelSyntaxError(close.column, close.text, `expected ")" to close ${name}( at column ${nameToken.column}, got ${what}`);
    }
    return { type: 'residual', body, shortcut };
  }

  /** One argument: key=value, a flag word, or the next positional value. */
  private argument(
    layer: string,
    rule: TextLayerRule,
    positionalSoFar: number,
    set: (field: string, value: unknown, t: Token) => void,
  ): void {
    const t = this.next();
    if (t.kind === 'name' && this.peek().kind === '=') {
      this.next();
      const option = rule.options[t.text];
      if (option === undefined) {
        const known = Object.keys(rule.options);
        const list = known.length === 0 ? `${layer} takes no options` : `known: ${known.join(', ')}`;
        throw new ModelSyntaxError(t.column, t.text, `unknown option "${t.text}" for ${layer}${didYouMean(t.text, known)} (${list})`);
      }
      const v = this.next();
      set(option.field, valueOf(v, option, layer), v);
      return;
    }
    if (t.kind === 'name' && !(t.text === 'same' || t.text === 'valid' || t.text === 'true' || t.text === 'false')) {
      const flag = rule.flags[t.text];
      if (flag === undefined && rule.options[t.text] !== undefined) {
        throw new ModelSyntaxError(t.column, t.text, `${layer} option "${t.text}" needs a value, e.g. ${t.text}=…`);
      }
      if (flag === undefined) {
        const known = [...Object.keys(rule.flags), ...Object.keys(rule.options).map((k) => `${k}=`)];
        throw new ModelSyntaxError(t.column, t.text, `unknown option "${t.text}" for ${layer}${didYouMean(t.text, Object.keys(rule.flags))}${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`);
      }
      set(flag.field, flag.value, t);
      return;
    }
    const field = rule.positional[positionalSoFar];
    if (field === undefined) {
      const n = rule.positional.length;
      const names = rule.positional.map((f) => f.field).join(', ');
      const detail = n === 0
        ? `${layer} takes no positional arguments, got ${describe(t)}`
        : `${layer} takes ${n} positional argument${n === 1 ? '' : 's'} (${names}); name the others, e.g. ${Object.keys(rule.options)[0] ?? ''}=…`;
      throw new ModelSyntaxError(t.column, t.text, detail);
    }
    set(field.field, valueOf(t, field, layer), t);
  }
}

/** Parse the layer list of the text form; raises ModelSyntaxError with the column of the fault. */
export function parseTextLayers(text: string): LayerInit[] {
  const tokens = tokenize(text);
  const layers = new TextParser(tokens).layers();
  if (layers.length === 0) {
    throw new ModelSyntaxError(1, '', 'empty model: give at least one layer, e.g. conv(8,3,p=1) relu flatten linear(10)');
  }
  return layers;
}

/** Text form + the dataset's input shape [C, H, W] → canonical ModelSpec (shapes are not checked here: see inferShapes). */
export function parseText(text: string, input: readonly number[]): ModelSpec {
  return buildModel(input, parseTextLayers(text));
}
