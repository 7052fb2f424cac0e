// Reads a dataset source file, transparently gunzipping it when it starts with the gzip magic
// bytes 1f 8b (MNIST is distributed as .gz; users often pass either form). Errors name the file.
import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

const gunzipAsync = promisify(gunzip);

/** Decompressed size cap: far above any dataset this lab trains on, low enough to stop a gzip bomb. */
export const MAX_DECOMPRESSED_BYTES = 1 << 30;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export async function readMaybeGzip(path: string, maxBytes = MAX_DECOMPRESSED_BYTES): Promise<Uint8Array> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`Cannot read ${path}: no such file; check the path`);
    if (code === 'EISDIR') throw new Error(`Cannot read ${path}: it is a folder, not a file`);
    if (code === 'EACCES' || code === 'EPERM') throw new Error(`Cannot read ${path}: permission denied`);
    throw new Error(`Cannot read ${path}: ${(err as Error).message}`);
  }
  if (!isGzip(raw)) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  try {
    const out = await gunzipAsync(raw, { maxOutputLength: maxBytes });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(`${path} decompresses to more than ${maxBytes} bytes; refusing to load it`);
    }
    throw new Error(`${path} looks gzipped but could not be decompressed (${(err as Error).message}); the download may be incomplete`);
  }
}
