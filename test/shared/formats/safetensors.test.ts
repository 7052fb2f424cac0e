import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findDuplicateKey,
  readSafetensors,
  SafetensorsError,
  toFloat32,
  writeSafetensors,
} from '../../../src/shared/formats/safetensors';

// Fixtures come from scripts/fixtures/make_safetensors.py (PyTorch 1.13).
const FIXTURES = join(__dirname, '../../fixtures/safetensors');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

interface ExpectedTensor { name: string; dtype: string; shape: number[]; values: Array<number | string> }
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as {
  sequential: { metadata: Record<string, string>; ours_metadata: Record<string, string>; tensors: ExpectedTensor[] };
  dtypes: { tensors: ExpectedTensor[] };
};
const num = (v: number | string) => (typeof v === 'number' ? v : Number(v));

/** Builds a file from a header given as raw JSON text plus a data section. */
function rawFile(headerJson: string, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const header = new TextEncoder().encode(headerJson);
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

function expectError(bytes: Uint8Array, pattern: RegExp, opts?: { maxHeaderBytes?: number }) {
  let caught: unknown;
  try {
    readSafetensors(bytes, opts);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SafetensorsError);
  expect((caught as Error).message).toMatch(pattern);
}

describe('safetensors round trip', () => {
  it('reads back what it writes, names, shapes, values and metadata', () => {
    const tensors = [
      { name: '0.weight', shape: [2, 1, 3, 3], data: Float32Array.from({ length: 18 }, (_, i) => i * 0.25 - 2) },
      { name: '0.bias', shape: [2], data: new Float32Array([0.5, -1e-20]) },
      { name: '3.weight', shape: [0, 4], data: new Float32Array(0) },
      { name: '10', shape: [], data: new Float32Array([Math.PI]) },
    ];
    const bytes = writeSafetensors(tensors, { format: 'pt', epoch: '3' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const file = readSafetensors(bytes);
    expect([...file.tensors.keys()]).toEqual(['0.weight', '0.bias', '3.weight', '10']);
    expect(file.metadata).toEqual({ format: 'pt', epoch: '3' });
    for (const t of tensors) {
      const got = file.tensors.get(t.name)!;
      expect(got.dtype).toBe('F32');
      expect(got.shape).toEqual(t.shape);
      expect(toFloat32(got)).toEqual(t.data);
    }
    expect(writeSafetensors(tensors, { format: 'pt', epoch: '3' })).toEqual(bytes);
  });

  it('writes byte-for-byte what the python fixture writer wrote for the same tensors', () => {
    const input = expected.sequential.tensors.map((t) => ({
      name: t.name, shape: t.shape, data: Float32Array.from(t.values.map(num)),
    }));
    expect(writeSafetensors(input, expected.sequential.ours_metadata)).toEqual(fixture('ours_layout.safetensors'));
  });

  it('refuses to write inconsistent tensors', () => {
    expect(() => writeSafetensors([{ name: 'a', shape: [3], data: new Float32Array(2) }])).toThrow(/holds 3 values but data has 2/);
    const t = { name: 'a', shape: [1], data: new Float32Array(1) };
    expect(() => writeSafetensors([t, t])).toThrow(/"a" is given more than once/);
    expect(() => writeSafetensors([{ ...t, name: '__metadata__' }])).toThrow(/reserved/);
  });
});

describe('safetensors files written by PyTorch tooling', () => {
  it('reads the nn.Sequential state_dict', () => {
    const file = readSafetensors(fixture('sequential.safetensors'));
    expect(file.metadata).toEqual(expected.sequential.metadata);
    expect(new Set(file.tensors.keys())).toEqual(new Set(expected.sequential.tensors.map((t) => t.name)));
    for (const want of expected.sequential.tensors) {
      const got = file.tensors.get(want.name)!;
      expect(got.shape).toEqual(want.shape);
      expect(toFloat32(got)).toEqual(Float32Array.from(want.values.map(num)));
    }
  });

  it('reads every dtype', () => {
    const file = readSafetensors(fixture('dtypes.safetensors'));
    expect(file.metadata).toEqual({});
    for (const want of expected.dtypes.tensors) {
      const got = file.tensors.get(want.name)!;
      expect(got.dtype).toBe(want.dtype);
      expect(got.shape).toEqual(want.shape);
      const view = new DataView(got.data.buffer, got.data.byteOffset, got.data.byteLength);
      const values = want.values.map(num);
      switch (got.dtype) {
        case 'F64': case 'F32': case 'F16': case 'BF16':
          expect(Array.from(toFloat32(got))).toEqual(Array.from(Float32Array.from(values)));
          break;
        case 'I64': expect(values.map((_, i) => Number(view.getBigInt64(i * 8, true)))).toEqual(values); break;
        case 'I32': expect(values.map((_, i) => view.getInt32(i * 4, true))).toEqual(values); break;
        case 'I16': expect(values.map((_, i) => view.getInt16(i * 2, true))).toEqual(values); break;
        case 'I8': expect(values.map((_, i) => view.getInt8(i))).toEqual(values); break;
        case 'U8': case 'BOOL': expect(Array.from(got.data)).toEqual(values); break;
      }
    }
    expect(() => toFloat32(file.tensors.get('i32')!)).toThrow(/floating-point tensor.*got I32/);
  });
});

describe('safetensors reader rules, each broken once', () => {
  const f32 = (n: number) => new Uint8Array(n * 4);
  const entry = (shape: number[], begin: number, end: number, dtype = 'F32') =>
    `{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":[${begin},${end}]}`;

  it('accepts a minimal valid file and trailing-space padding', () => {
    expect(readSafetensors(rawFile('{}    ')).tensors.size).toBe(0);
    expect(readSafetensors(rawFile(`{"a":${entry([2], 0, 8)}}`, f32(2))).tensors.get('a')!.shape).toEqual([2]);
  });

  it('file shorter than 8 bytes', () => expectError(new Uint8Array(5), /5 bytes, shorter than the 8-byte/));
  it('header length over the cap', () => expectError(rawFile('{}', undefined, 2n ** 40n), /exceeds the cap/));
  it('header length over a custom cap', () => expectError(rawFile('{}      '), /exceeds the cap of 4/, { maxHeaderBytes: 4 }));
  it('header length past the end of the file', () => expectError(rawFile('{}', undefined, 50n), /runs past the end.*truncated/));
  it('header not UTF-8', () => {
    const bytes = rawFile('{"a":1}');
    bytes[10] = 0xff;
    expectError(bytes, /not valid UTF-8/);
  });
  it('header not JSON', () => expectError(rawFile('{"a":'), /not valid JSON/));
  it('header not an object', () => expectError(rawFile('[1,2]'), /must be a JSON object/));
  it('duplicate tensor key', () => expectError(rawFile(`{"a":${entry([1], 0, 4)},"a":${entry([1], 0, 4)}}`, f32(1)), /key "a" more than once/));
  it('duplicate key spelled with an escape', () => expectError(rawFile(`{"a":${entry([1], 0, 4)},"\\u0061":${entry([1], 0, 4)}}`, f32(1)), /key "a" more than once/));
  it('duplicate key inside an entry', () =>
    expectError(rawFile('{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(1)), /key "dtype" more than once/));
  it('entry not an object', () => expectError(rawFile('{"w":[1]}'), /tensor "w": entry must be an object/));
  it('unknown entry field', () => expectError(rawFile('{"w":{"dtype":"F32","shape":[],"data_offsets":[0,4],"x":1}}', f32(1)), /tensor "w": unknown field "x"/));
  it('unknown dtype', () => expectError(rawFile(`{"w":${entry([1], 0, 4, 'F8_E4M3')}}`, f32(1)), /tensor "w": dtype "F8_E4M3" is not supported/));
  it('negative shape', () => expectError(rawFile(`{"w":${entry([-1], 0, 0)}}`), /tensor "w": shape must be an array of non-negative integers/));
  it('fractional shape', () => expectError(rawFile(`{"w":${entry([1.5], 0, 0)}}`), /tensor "w": shape must be/));
  it('data_offsets wrong arity', () => expectError(rawFile('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}', f32(1)), /tensor "w": data_offsets must be \[begin, end\]/));
  it('data_offsets begin after end', () => expectError(rawFile(`{"w":${entry([0], 4, 0)}}`, f32(1)), /tensor "w": data_offsets begin 4 is after end 0/));
  it('data_offsets out of bounds', () => expectError(rawFile(`{"w":${entry([2], 0, 8)}}`, f32(1)), /tensor "w": data_offsets end 8 is past the 4-byte data section/));
  it('byte length not shape x dtype size', () => expectError(rawFile(`{"w":${entry([3], 0, 8)}}`, f32(2)), /tensor "w": shape \[3\] of F32 needs 12 bytes but data_offsets span 8/));
  it('overlapping tensors', () =>
    expectError(rawFile(`{"a":${entry([2], 0, 8)},"b":${entry([2], 4, 12)}}`, f32(3)), /tensor "b".*overlap tensor "a"/));
  it('hole between tensors', () =>
    expectError(rawFile(`{"a":${entry([1], 0, 4)},"b":${entry([1], 8, 12)}}`, f32(3)), /tensor "b": data_offsets begin 8 leaves a hole of 4 bytes after tensor "a"/));
  it('hole at the start', () => expectError(rawFile(`{"a":${entry([1], 4, 8)}}`, f32(2)), /leaves a hole of 4 bytes after \(start of data\)/));
  it('bytes after the last tensor', () => expectError(rawFile(`{"a":${entry([1], 0, 4)}}`, f32(2)), /4 trailing bytes that belong to no tensor/));
  it('metadata not an object', () => expectError(rawFile('{"__metadata__":"x"}'), /"__metadata__" must be an object of string values/));
  it('metadata value not a string', () => expectError(rawFile('{"__metadata__":{"epoch":3}}'), /"__metadata__"."epoch" must be a string, got 3/));
});

describe('findDuplicateKey', () => {
  it('tells keys from values and ignores quotes inside strings', () => {
    expect(findDuplicateKey('{"a":"a","b":["a","a"],"c":{"a":1},"d":"x\\"a"}')).toBeNull();
    expect(findDuplicateKey('{"a":{"b":1,"c":{"b":2}},"x":[{"k":1,"k":2}]}')).toBe('k');
  });
});
