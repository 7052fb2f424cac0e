// IDX, the file format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS").
// Layout, all integers big-endian:
//   bytes 0-1  zero
//   byte  2    element type: 0x08 unsigned byte (the only one datasets use; others are refused here)
//   byte  3    number of dimensions d
//   then d uint32 sizes, then the elements in row-major order.
// So labels start 00 00 08 01 (magic 0x00000801) and images 00 00 08 03 (0x00000803).
// Pure functions on Uint8Array; gzip is handled by the caller (services/datasets/readMaybeGzip).

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};

const MAX_DIMS = 8;

function hex(n: number, width: number): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

/** Decodes an unsigned-byte IDX file. `data` is a view into `bytes` (no copy). */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (bytes.length < 4) {
    throw new Error(`Not an IDX file: it has ${bytes.length} bytes, fewer than the 4-byte magic number`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(
      `Not an IDX file: magic number ${hex(magic, 8)} should start with two zero bytes ` +
        `(MNIST-style files start 0x00000801 for labels, 0x00000803 for images); if it is gzipped, keep the .gz so it is decompressed`,
    );
  }
  const type = bytes[2];
  if (type !== 0x08) {
    const name = TYPE_NAMES[type] ?? 'unknown';
    throw new Error(
      `IDX element type ${hex(type, 2)} (${name}) is not supported: only unsigned-byte (0x08) images and labels can be imported`,
    );
  }
  const ndims = bytes[3];
  if (ndims < 1 || ndims > MAX_DIMS) {
    throw new Error(`IDX file declares ${ndims} dimensions; expected 1 (labels) to ${MAX_DIMS}`);
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new Error(`IDX file is truncated: its header needs ${headerBytes} bytes for ${ndims} dimensions, the file has ${bytes.length}`);
  }
  const dims: number[] = [];
  let elements = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    elements *= d;
  }
  const expected = headerBytes + elements;
  if (bytes.length !== expected) {
    const shape = dims.join(' × ');
    const what = bytes.length < expected ? 'truncated' : 'longer than its header says';
    throw new Error(
      `IDX file is ${what}: dimensions ${shape} need ${expected} bytes (${headerBytes} header + ${elements} data), the file has ${bytes.length}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Encodes an unsigned-byte IDX file; the inverse of parseIdx. */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  if (dims.length < 1 || dims.length > MAX_DIMS) throw new Error(`encodeIdx: need 1 to ${MAX_DIMS} dimensions, got ${dims.length}`);
  let elements = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) throw new Error(`encodeIdx: dimension ${String(d)} is not a uint32`);
    elements *= d;
  }
  if (elements !== data.length) {
    throw new Error(`encodeIdx: dimensions ${dims.join(' × ')} need ${elements} bytes of data, got ${data.length}`);
  }
  const headerBytes = 4 + 4 * dims.length;
  const out = new Uint8Array(headerBytes + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, headerBytes);
  return out;
}
