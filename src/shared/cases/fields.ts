// Readers for the pieces of a case (integers, PyTorch-style int-or-pair attributes, booleans,
// tensors). Each throws a FieldError naming the JSON path, so the parser can turn the first problem
// in a case into one line: `case 3 "conv-groups": inputs.weight: data has 53 numbers but ...`.

import type { CaseTensor, Pair, Tolerance } from './types';
import { DEFAULT_TOLERANCE } from './types';

export class FieldError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'FieldError';
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Short, JSON-like rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

export function isMissing(value: unknown): boolean {
  return value === undefined || value === null;
}

export function readInt(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new FieldError(path, `expected an integer >= ${min}, got ${describe(value)}`);
  }
  return value;
}

/**
 * PyTorch's _pair: an int means the same value for height and width; a one-element list is
 * expanded the same way. `fallback` is used when the attribute is absent (or null).
 */
export function readPair(value: unknown, path: string, min: number, fallback: Pair): Pair {
  if (isMissing(value)) return [...fallback];
  if (typeof value === 'number') {
    const v = readInt(value, path, min);
    return [v, v];
  }
  if (Array.isArray(value) && (value.length === 1 || value.length === 2)) {
    const a = readInt(value[0], `${path}[0]`, min);
    const b = value.length === 2 ? readInt(value[1], `${path}[1]`, min) : a;
    return [a, b];
  }
  throw new FieldError(path, `expected an integer >= ${min} or a pair [h, w], got ${describe(value)}`);
}

/** PyTorch accepts any truthy value for its bool flags; JSON files may hold true/false or 0/1. */
export function readBool(value: unknown, path: string, fallback: boolean): boolean {
  if (isMissing(value)) return fallback;
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  throw new FieldError(path, `expected true or false, got ${describe(value)}`);
}

export function readTolerance(value: unknown, path: string): Tolerance {
  if (isMissing(value)) return { ...DEFAULT_TOLERANCE };
  if (!isRecord(value)) throw new FieldError(path, `expected {"atol": a, "rtol": r}, got ${describe(value)}`);
  const read = (key: 'atol' | 'rtol'): number => {
    const v = value[key];
    if (isMissing(v)) return DEFAULT_TOLERANCE[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new FieldError(`${path}.${key}`, `expected a finite number >= 0, got ${describe(v)}`);
    }
    return v;
  };
  return { atol: read('atol'), rtol: read('rtol') };
}

const NON_FINITE_SPELLINGS = new Set(['NaN', 'Infinity', '-Infinity', 'inf', '-inf', 'nan']);

function readShape(value: unknown, path: string): number[] {
  if (!Array.isArray(value)) {
    throw new FieldError(`${path}.shape`, `expected an array of non-negative integers, got ${describe(value)}`);
  }
  return value.map((dim, i) => readInt(dim, `${path}.shape[${i}]`, 0));
}

/**
 * Flat row-major data is the documented form; nested lists (what torch's tolist() gives) are also
 * accepted when their nesting matches the shape exactly, and a bare number for a shape [] scalar.
 */
function flattenData(data: unknown, shape: number[], path: string): unknown[] {
  if (!Array.isArray(data)) {
    if (shape.length === 0 && !isMissing(data)) return [data];
    throw new FieldError(`${path}.data`, `expected an array of numbers, got ${describe(data)}`);
  }
  if (!data.some(Array.isArray)) return data;
  const flat: unknown[] = [];
  const walk = (node: unknown, depth: number, where: string): void => {
    if (depth === shape.length) {
      if (Array.isArray(node)) throw new FieldError(`${path}.data`, `nested lists are deeper than shape ${formatShape(shape)} at ${where}`);
      flat.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      const got = Array.isArray(node) ? `${node.length} entries` : describe(node);
      throw new FieldError(`${path}.data`, `nested lists do not match shape ${formatShape(shape)}: ${where} has ${got}, expected ${shape[depth]} entries`);
    }
    node.forEach((child, i) => walk(child, depth + 1, `${where}[${i}]`));
  };
  walk(data, 0, 'data');
  return flat;
}

export function readTensor(value: unknown, path: string): CaseTensor {
  if (!isRecord(value)) {
    throw new FieldError(path, `expected a tensor {"shape": [...], "data": [...]}, got ${describe(value)}`);
  }
  const shape = readShape(value.shape, path);
  const items = flattenData(value.data, shape, path);
  const needed = shape.reduce((a, b) => a * b, 1);
  if (items.length !== needed) {
    throw new FieldError(path, `data has ${items.length} numbers but shape ${formatShape(shape)} needs ${needed}`);
  }
  const data = new Float64Array(needed);
  for (let i = 0; i < needed; i++) {
    const v = items[i];
    if (typeof v === 'number' && Number.isFinite(v)) {
      data[i] = v;
    } else if (typeof v === 'number' || (typeof v === 'string' && NON_FINITE_SPELLINGS.has(v))) {
      // A number can only be non-finite here by overflowing (1e999 parses as Infinity).
      throw new FieldError(path, `data[${i}] is ${String(v)}; every number must be finite`);
    } else {
      throw new FieldError(path, `data[${i}] is ${describe(v)}, expected a number`);
    }
  }
  return { shape, data };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Throws unless `tensor` has exactly `want`; `why` says where `want` came from. */
export function requireShape(tensor: CaseTensor, want: readonly number[], path: string, why: string): void {
  if (!sameShape(tensor.shape, want)) {
    throw new FieldError(path, `shape ${formatShape(tensor.shape)} should be ${formatShape(want)} (${why})`);
  }
}

export function requireRank(tensor: CaseTensor, rank: number, path: string, axes: string): void {
  if (tensor.shape.length !== rank) {
    throw new FieldError(path, `shape ${formatShape(tensor.shape)} must have ${rank} dimensions (${axes})`);
  }
}
