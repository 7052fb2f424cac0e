// Pixels of a WebP file through libwebp's own decoder, compiled to WebAssembly by the
// @jsquash/webp package (from Squoosh): lossy, lossless, alpha. It runs in plain Node, in worker
// threads and in Electron's main process alike. The WebAssembly module is compiled once per
// thread, the first time a WebP file comes by, from the .wasm file the package ships (read with
// fs, which also reads it inside app.asar). The caller has already checked the declared size
// against the import limits (parseWebp), so libwebp never allocates an oversized canvas.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import decode, { init } from '@jsquash/webp/decode.js';

export type WebpPixels = { ok: true; width: number; height: number; rgb: Uint8Array } | { ok: false; reason: string };

let ready: Promise<void> | null = null;

function initOnce(): Promise<void> {
  ready ??= (async () => {
    const wasm = createRequire(import.meta.url).resolve('@jsquash/webp/codec/dec/webp_dec.wasm');
    // init() also takes a compiled module (its types name only the options form).
    await (init as unknown as (module: WebAssembly.Module) => Promise<void>)(await WebAssembly.compile(readFileSync(wasm)));
  })();
  ready.catch(() => (ready = null));
  return ready;
}

/** Decodes to interleaved RGB, alpha composited over black (as the PNG path does). */
export async function decodeWebp(bytes: Uint8Array, alpha: boolean): Promise<WebpPixels> {
  try {
    await initOnce();
  } catch (err) {
    return { ok: false, reason: `WebP decoder unavailable: ${err instanceof Error ? err.message : String(err)}` };
  }
  let image: { width: number; height: number; data: Uint8ClampedArray };
  try {
    // libwebp reads from its own copy; hand it exactly this file's bytes.
    image = await decode(bytes.slice().buffer);
  } catch {
    return { ok: false, reason: 'truncated or corrupt WebP: libwebp could not decode it' };
  }
  const n = image.width * image.height;
  const rgb = new Uint8Array(3 * n);
  const src = image.data;
  for (let i = 0; i < n; i++) {
    const a = alpha ? src[4 * i + 3]! : 255;
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = a === 255 ? src[4 * i + c]! : Math.floor((src[4 * i + c]! * a) / 255 + 0.5);
  }
  return { ok: true, width: image.width, height: image.height, rgb };
}
