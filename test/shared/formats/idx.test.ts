import { describe, it, expect } from 'vitest';
import { encodeIdx, parseIdx } from '../../../src/shared/formats/idx';

describe('parseIdx', () => {
  it('reads a hand-written big-endian image file', () => {
    // 2 images of 2 rows × 3 columns; sizes big-endian (2 = 00 00 00 02).
    const bytes = new Uint8Array([
      0, 0, 8, 3,
      0, 0, 0, 2,
      0, 0, 0, 2,
      0, 0, 0, 3,
      1, 2, 3, 4, 5, 6,
      7, 8, 9, 10, 11, 255,
    ]);
    const { dims, data } = parseIdx(bytes);
    expect(dims).toEqual([2, 2, 3]);
    expect([...data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255]);
  });

  it('reads sizes above 255 as big-endian uint32', () => {
    const labels = new Uint8Array(258).map((_, i) => i % 10);
    const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 1, 2, ...labels]);
    expect(parseIdx(bytes).dims).toEqual([258]);
  });

  it('round-trips through encodeIdx, including a view into a larger buffer', () => {
    const data = new Uint8Array(4 * 5 * 6).map((_, i) => (i * 37) & 255);
    const encoded = encodeIdx([4, 5, 6], data);
    expect([...encoded.subarray(0, 4)]).toEqual([0, 0, 8, 3]);
    const padded = new Uint8Array(encoded.length + 10);
    padded.set(encoded, 7);
    const back = parseIdx(padded.subarray(7, 7 + encoded.length));
    expect(back.dims).toEqual([4, 5, 6]);
    expect(back.data).toEqual(data);
  });

  it('refuses a wrong magic number and names what it expected', () => {
    const good = encodeIdx([1], new Uint8Array([3]));
    const bad = good.slice();
    bad[0] = 0x1f;
    bad[1] = 0x8b;
    expect(() => parseIdx(bad)).toThrow(/Not an IDX file: magic number 0x1f8b0801.*0x00000801.*0x00000803/);
  });

  it('refuses element types other than unsigned byte', () => {
    const bytes = new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(() => parseIdx(bytes)).toThrow(/element type 0x0d \(float\) is not supported/);
  });

  it('refuses zero dimensions', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 0]))).toThrow(/declares 0 dimensions/);
  });

  it('refuses files shorter than the magic or the header', () => {
    expect(() => parseIdx(new Uint8Array([0, 0]))).toThrow(/2 bytes, fewer than the 4-byte magic/);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1]))).toThrow(/header needs 16 bytes for 3 dimensions, the file has 8/);
  });

  it('refuses truncated data, naming expected and actual byte counts', () => {
    const full = encodeIdx([3, 2, 2], new Uint8Array(12));
    expect(() => parseIdx(full.subarray(0, full.length - 1))).toThrow(
      /truncated: dimensions 3 × 2 × 2 need 28 bytes \(16 header \+ 12 data\), the file has 27/,
    );
  });

  it('refuses trailing bytes (a dims mismatch)', () => {
    const full = encodeIdx([2], new Uint8Array([1, 2]));
    const longer = new Uint8Array(full.length + 1);
    longer.set(full);
    expect(() => parseIdx(longer)).toThrow(/longer than its header says: dimensions 2 need 10 bytes .* the file has 11/);
  });
});

describe('encodeIdx', () => {
  it('refuses data that does not match the dimensions', () => {
    expect(() => encodeIdx([2, 2], new Uint8Array(3))).toThrow(/need 4 bytes of data, got 3/);
    expect(() => encodeIdx([], new Uint8Array(0))).toThrow(/1 to 8 dimensions/);
    expect(() => encodeIdx([1.5], new Uint8Array(1))).toThrow(/not a uint32/);
  });
});
