// A sweep: many runs of one training setup that differ in a few options, either every combination
// of listed values (grid) or `count` draws from distributions (random), with a seed, so a sweep is
// reproducible. Written as JSON (docs/formats/sweep.md) or compactly on the command line:
//
//   grid    lr=0.1,0.03,0.01 batch=32,64
//   random  lr=log:1e-4:1e-1 optimizer=sgd,adam   (with --random COUNT; a list is a choice)
//
// Keys are `convlab train` option names (overrides.ts says which are sweepable and checks every
// value the way training would, before the first run starts).

import { Random } from '../../../shared/random';

export const SWEEP_FORMAT = 'convlab-sweep/1';

/** A parameter's values: a list (grid: each one; random: a uniform choice) or a distribution. */
export type SweepValues =
  | { values: Array<string | number | boolean> }
  | { distribution: 'uniform' | 'log_uniform'; min: number; max: number }
  | { distribution: 'int_uniform'; min: number; max: number };

export interface SweepSpec {
  format: typeof SWEEP_FORMAT;
  method: 'grid' | 'random';
  /** random: how many runs to draw. */
  count?: number;
  seed: number;
  parameters: Record<string, SweepValues>;
}

export type SweepParams = Record<string, string | number | boolean>;

export class SweepSpecError extends Error {
  override name = 'SweepSpecError';
}

/** The compact form: `key=v1,v2` terms (grid), or with `random` set, draws; `log:A:B`,
 *  `uniform:A:B` and `int:A:B` are distributions (random only). */
export function parseCompactSweep(terms: readonly string[], opts: { random?: number; seed?: number } = {}): SweepSpec {
  if (terms.length === 0) throw new SweepSpecError('a sweep needs at least one KEY=VALUES term, e.g. lr=0.1,0.03 batch=32,64');
  const parameters: Record<string, SweepValues> = {};
  for (const term of terms) {
    const eq = term.indexOf('=');
    if (eq <= 0) throw new SweepSpecError(`"${term}" is not KEY=VALUES (e.g. lr=0.1,0.03)`);
    const key = term.slice(0, eq).trim();
    const text = term.slice(eq + 1).trim();
    if (key in parameters) throw new SweepSpecError(`"${key}" is given twice`);
    if (text === '') throw new SweepSpecError(`"${key}=" has no values (an empty range)`);
    const dist = /^(log|uniform|int):([^:]+):([^:]+)$/.exec(text);
    if (dist) {
      const [min, max] = [Number(dist[2]), Number(dist[3])];
      const distribution = dist[1] === 'log' ? 'log_uniform' : dist[1] === 'int' ? 'int_uniform' : 'uniform';
      parameters[key] = { distribution, min, max } as SweepValues;
    } else {
      parameters[key] = { values: splitTopLevel(text).map((v) => literal(v.trim(), key)) };
    }
  }
  const random = opts.random !== undefined;
  return checkSweepSpec({ format: SWEEP_FORMAT, method: random ? 'random' : 'grid', ...(random ? { count: opts.random } : {}), seed: opts.seed ?? 1, parameters });
}

/** A JSON sweep file's content, checked. */
export function parseSweepJson(value: unknown, where: string): SweepSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SweepSpecError(`${where}: a sweep is a JSON object`);
  const v = value as Record<string, unknown>;
  if (v.format !== SWEEP_FORMAT) throw new SweepSpecError(`${where}: "format" must be "${SWEEP_FORMAT}"`);
  return checkSweepSpec(v as unknown as SweepSpec, where);
}

export function checkSweepSpec(spec: SweepSpec, where = 'sweep'): SweepSpec {
  const say = (message: string): never => {
    throw new SweepSpecError(`${where}: ${message}`);
  };
  if (spec.method !== 'grid' && spec.method !== 'random') say('"method" must be "grid" or "random"');
  if (!Number.isInteger(spec.seed)) say('"seed" must be a whole number');
  if (spec.method === 'random' && !(Number.isInteger(spec.count) && spec.count! >= 1 && spec.count! <= 10_000)) say('a random sweep needs "count", a whole number from 1 to 10000');
  const keys = Object.keys(spec.parameters ?? {});
  if (keys.length === 0) say('"parameters" names no option to sweep');
  for (const key of keys) {
    const p = spec.parameters[key]!;
    if ('values' in p) {
      if (!Array.isArray(p.values) || p.values.length === 0) say(`"${key}" has no values (an empty range)`);
      if (p.values.some((x) => !['string', 'number', 'boolean'].includes(typeof x))) say(`"${key}": values are strings, numbers or booleans`);
      continue;
    }
    if (!['uniform', 'log_uniform', 'int_uniform'].includes(p.distribution)) say(`"${key}": unknown distribution ${JSON.stringify((p as { distribution: unknown }).distribution)} (uniform, log_uniform, int_uniform)`);
    if (!Number.isFinite(p.min) || !Number.isFinite(p.max) || !(p.min < p.max)) say(`"${key}": a distribution needs finite min < max, got ${p.min} and ${p.max} (an empty range)`);
    if (p.distribution === 'log_uniform' && !(p.min > 0)) say(`"${key}": a log-uniform range must be above 0`);
    if (p.distribution === 'int_uniform' && !(Number.isInteger(p.min) && Number.isInteger(p.max))) say(`"${key}": an integer range needs whole-number ends`);
    if (spec.method === 'grid') say(`"${key}": a grid sweep takes lists of values; distributions need a random sweep (--random COUNT)`);
  }
  const size = expandedCount(spec);
  if (size > 10_000) say(`the grid has ${size} combinations; at most 10000`);
  return spec;
}

export function expandedCount(spec: SweepSpec): number {
  if (spec.method === 'random') return spec.count ?? 0;
  return Object.values(spec.parameters).reduce((n, p) => n * ('values' in p ? p.values.length : 1), 1);
}

/** Every run's parameters, in a fixed order (grid: the last key varies fastest). */
export function expandSweep(spec: SweepSpec): SweepParams[] {
  const keys = Object.keys(spec.parameters);
  if (spec.method === 'grid') {
    let combos: SweepParams[] = [{}];
    for (const key of keys) {
      const values = (spec.parameters[key] as { values: SweepParams[string][] }).values;
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
    }
    return combos;
  }
  const rng = new Random(spec.seed);
  return Array.from({ length: spec.count! }, () => {
    const draw: SweepParams = {};
    for (const key of keys) draw[key] = sample(spec.parameters[key]!, rng);
    return draw;
  });
}

function sample(p: SweepValues, rng: Random): string | number | boolean {
  if ('values' in p) return p.values[rng.nextInt(p.values.length)]!;
  const u = rng.nextFloat();
  if (p.distribution === 'log_uniform') return round(Math.exp(Math.log(p.min) + u * (Math.log(p.max) - Math.log(p.min))));
  if (p.distribution === 'int_uniform') return p.min + Math.floor(u * (p.max - p.min + 1));
  return round(p.min + u * (p.max - p.min));
}

/** Six significant digits: a learning rate of 0.0031622776601683794 is 0.00316228 in a table. */
function round(v: number): number {
  return Number(v.toPrecision(6));
}

/** Commas separate values, except inside parentheses: model=conv(8,3) relu flatten linear(10),lenet5. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth = Math.max(0, depth - 1);
    else if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function literal(text: string, key: string): string | number | boolean {
  if (text === '') throw new SweepSpecError(`"${key}" has an empty value in its list`);
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return Number.isFinite(n) && /^[-+]?(\d|\.\d)/.test(text) ? n : text;
}
