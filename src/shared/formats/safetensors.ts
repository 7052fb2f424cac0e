// safetensors codec (format described in docs/formats/safetensors.md).
//
// Layout: u64 little-endian header length N, then N bytes of UTF-8 JSON, then the data section.
// The JSON maps tensor names to {dtype, shape, data_offsets: [begin, end]} (offsets relative to the
// start of the data section) plus an optional "__metadata__" map of strings.
//
// The reader treats every file as untrusted: checkpoints and exported weights come from other
// machines and other tools. It enforces the rules the reference implementation enforces, and each
// violation throws a SafetensorsError that names the tensor or field and the rule it broke.
// Pure functions on Uint8Array: no Node imports, no side effects.

export type SafetensorsDtype = 'F32' | 'F64' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** A view into the input bytes (no copy); little-endian element bytes. */
  data: Uint8Array;
}

export interface SafetensorsFile {
  /** In data-section order. */
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

export interface Float32TensorInput {
  name: string;
  shape: number[];
  data: Float32Array;
}

export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

const DTYPE_BYTES: Record<SafetensorsDtype, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
};

/** 100 MB, the cap the reference implementation uses; a header this large is already absurd. */
export const DEFAULT_MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = '__metadata__';
const ENTRY_FIELDS = new Set(['dtype', 'shape', 'data_offsets']);

function fail(message: string): never {
  throw new SafetensorsError(`safetensors: ${message}`);
}

export function readSafetensors(bytes: Uint8Array, opts: { maxHeaderBytes?: number } = {}): SafetensorsFile {
  const maxHeaderBytes = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (bytes.byteLength < 8) {
    fail(`file is ${bytes.byteLength} bytes, shorter than the 8-byte header length; it is not a safetensors file`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(maxHeaderBytes)) {
    fail(`header length ${declared} exceeds the cap of ${maxHeaderBytes} bytes; the file is corrupt or not safetensors`);
  }
  const headerBytes = Number(declared);
  if (8 + headerBytes > bytes.byteLength) {
    fail(`header length ${headerBytes} runs past the end of the ${bytes.byteLength}-byte file; the file is truncated`);
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerBytes));
  } catch {
    fail('header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    fail('header must be a JSON object mapping tensor names to entries');
  }
  // JSON.parse keeps the last of two equal keys; the raw text is the only place a duplicate shows.
  const duplicate = findDuplicateKey(text);
  if (duplicate !== null) fail(`header has the key "${duplicate}" more than once`);

  const data = bytes.subarray(8 + headerBytes);
  const record = header as Record<string, unknown>;
  const metadata = readMetadata(record[METADATA_KEY]);
  const spans: Array<{ name: string; begin: number; end: number; tensor: SafetensorsTensor }> = [];
  for (const [name, entry] of Object.entries(record)) {
    if (name === METADATA_KEY) continue;
    const { dtype, shape, begin, end } = readEntry(name, entry, data.byteLength);
    spans.push({ name, begin, end, tensor: { dtype, shape, data: data.subarray(begin, end) } });
  }
  checkContiguous(spans, data.byteLength);
  // Map order is data order: JSON.parse moves integer-like names ("10") to the front of an
  // object, so header order is not recoverable, while data order is what the writer chose.
  return { tensors: new Map(spans.map((s) => [s.name, s.tensor])), metadata };
}

function readMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(`"${METADATA_KEY}" must be an object of string values`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') fail(`"${METADATA_KEY}"."${k}" must be a string, got ${describe(v)}`);
    out[k] = v;
  }
  return out;
}

function readEntry(name: string, entry: unknown, dataBytes: number) {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    fail(`tensor "${name}": entry must be an object with dtype, shape and data_offsets`);
  }
  const e = entry as Record<string, unknown>;
  for (const field of Object.keys(e)) {
    if (!ENTRY_FIELDS.has(field)) fail(`tensor "${name}": unknown field "${field}"`);
  }
  const dtype = e.dtype;
  if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
    fail(`tensor "${name}": dtype ${describe(dtype)} is not supported (supported: ${Object.keys(DTYPE_BYTES).join(', ')})`);
  }
  const shape = e.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`tensor "${name}": shape must be an array of non-negative integers, got ${describe(shape)}`);
  }
  const offsets = e.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(`tensor "${name}": data_offsets must be [begin, end] non-negative integers, got ${describe(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) fail(`tensor "${name}": data_offsets begin ${begin} is after end ${end}`);
  if (end > dataBytes) {
    fail(`tensor "${name}": data_offsets end ${end} is past the ${dataBytes}-byte data section; the file is truncated`);
  }
  let elements = 1;
  for (const d of shape as number[]) elements *= d;
  const expected = elements * DTYPE_BYTES[dtype as SafetensorsDtype];
  if (!Number.isSafeInteger(expected) || expected !== end - begin) {
    fail(`tensor "${name}": shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${expected} bytes but data_offsets span ${end - begin}`);
  }
  return { dtype: dtype as SafetensorsDtype, shape: [...(shape as number[])], begin, end };
}

// The data section must be tiled exactly: sorted by begin, each span starts where the previous
// ended, the first at 0 and the last at the end. Holes could hide payloads; overlaps alias tensors.
function checkContiguous(spans: Array<{ name: string; begin: number; end: number }>, dataBytes: number): void {
  // Sort is stable, so empty tensors sharing an offset keep their header order.
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous = '(start of data)';
  for (const s of spans) {
    if (s.begin < cursor) fail(`tensor "${s.name}": data_offsets [${s.begin}, ${s.end}] overlap tensor "${previous}"`);
    if (s.begin > cursor) fail(`tensor "${s.name}": data_offsets begin ${s.begin} leaves a hole of ${s.begin - cursor} bytes after ${previous === '(start of data)' ? previous : `tensor "${previous}"`}`);
    cursor = s.end;
    previous = s.name;
  }
  if (cursor !== dataBytes) {
    fail(`data section has ${dataBytes - cursor} trailing bytes that belong to no tensor`);
  }
}

function describe(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Returns the first key that occurs twice in one object of already-valid JSON text, or null.
 * A small scanner, not a parser: JSON.parse has checked the syntax, so it only tracks nesting,
 * strings and whether the next string in an object is a key.
 */
export function findDuplicateKey(json: string): string | null {
  const stack: Array<{ keys: Set<string> | null; expectKey: boolean }> = [];
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (j < json.length && json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top && top.keys && top.expectKey) {
        // Decode escapes so "\u0061" and "a" count as the same key, as they do for JSON.parse.
        const key = JSON.parse(json.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return key;
        top.keys.add(key);
        top.expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push({ keys: new Set(), expectKey: true });
    } else if (c === '[') {
      stack.push({ keys: null, expectKey: false });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top && top.keys) top.expectKey = true;
    }
  }
  return null;
}

/** Converts a floating-point tensor to float32 (a fresh array; F64 values are rounded). */
export function toFloat32(t: SafetensorsTensor): Float32Array {
  const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const n = t.data.byteLength / DTYPE_BYTES[t.dtype];
  const out = new Float32Array(n);
  switch (t.dtype) {
    case 'F32':
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    case 'F64':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    case 'F16':
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return out;
    case 'BF16': {
      // bfloat16 is the top half of a float32, so widening is a 16-bit shift.
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      return out;
    }
    default:
      throw new SafetensorsError(`safetensors: toFloat32 needs a floating-point tensor (F32, F64, F16, BF16), got ${t.dtype}`);
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // subnormal (and zero)
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/**
 * Writes F32 tensors in the order given (names and bytes), with "__metadata__" first when present.
 * The header is padded with spaces so the data section starts 8-byte aligned; equal input gives
 * byte-identical output.
 */
export function writeSafetensors(tensors: Float32TensorInput[], metadata?: Record<string, string>): Uint8Array {
  const parts: string[] = [];
  if (metadata && Object.keys(metadata).length > 0) {
    const entries = Object.entries(metadata).map(([k, v]) => {
      if (typeof v !== 'string') fail(`metadata "${k}" must be a string, got ${describe(v)}`);
      return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
    });
    parts.push(`${JSON.stringify(METADATA_KEY)}:{${entries.join(',')}}`);
  }
  const seen = new Set<string>();
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '' || t.name === METADATA_KEY) fail(`tensor name ${JSON.stringify(t.name)} is reserved or empty`);
    if (seen.has(t.name)) fail(`tensor "${t.name}" is given more than once`);
    seen.add(t.name);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`tensor "${t.name}": shape must be non-negative integers, got ${describe(t.shape)}`);
    }
    const elements = t.shape.reduce((a, d) => a * d, 1);
    if (elements !== t.data.length) {
      fail(`tensor "${t.name}": shape [${t.shape.join(', ')}] holds ${elements} values but data has ${t.data.length}`);
    }
    const end = offset + t.data.length * 4;
    // Entries are written by hand, not via an object, so a name like "0" keeps its place in order.
    parts.push(`${JSON.stringify(t.name)}:{"dtype":"F32","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerBytes = Math.ceil(json.byteLength / 8) * 8;
  const out = new Uint8Array(8 + headerBytes + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + headerBytes);
  let p = 8 + headerBytes;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, p += 4) view.setFloat32(p, t.data[i]!, true);
  }
  return out;
}
