// Reads just the header of every candidate file (a 64 KiB prefix; more only for a JPEG whose EXIF or
// ICC data pushes the frame header further) before any decoding. This decides the default channel
// count from what files declare, drops files that are not images or declare absurd sizes without
// ever handing them to a decoder, and tells which class folders hold no usable image at all.
import { open } from 'node:fs/promises';
import { checkDimensions, DEFAULT_IMAGE_LIMITS, readImageHeader } from './imageHeader';
import type { ImageHeader, ImageLimits } from './imageHeader';
import { SAFE_OPEN_FLAGS, unreadableReason } from './decodeFileRead';

export type ProbeResult = { ok: true; header: ImageHeader } | { ok: false; reason: string };

const PREFIX_BYTES = 64 * 1024;
const PROBE_CONCURRENCY = 16;

export async function probeImageFile(path: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS, maxFileBytes = Infinity): Promise<ProbeResult> {
  let fh;
  try {
    fh = await open(path, SAFE_OPEN_FLAGS);
  } catch (err) {
    return { ok: false, reason: unreadableReason(err) };
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) return { ok: false, reason: 'unreadable: is a folder (EISDIR)' };
    if (!st.isFile()) return { ok: false, reason: 'unreadable: not a regular file' };
    if (st.size === 0) return { ok: false, reason: 'empty file' };
    if (st.size > maxFileBytes) {
      return { ok: false, reason: `file is ${(st.size / 2 ** 20).toFixed(1)} MiB (limit ${(maxFileBytes / 2 ** 20).toFixed(1)} MiB)` };
    }
    let want = Math.min(PREFIX_BYTES, st.size);
    for (;;) {
      const buf = new Uint8Array(want);
      const { bytesRead } = await fh.read(buf, 0, want, 0);
      const complete = bytesRead >= st.size || bytesRead < want;
      const result = readImageHeader(buf.subarray(0, bytesRead), complete);
      if (result.status === 'bad') return { ok: false, reason: result.reason };
      if (result.status === 'ok') {
        const tooBig = checkDimensions(result.header, limits);
        return tooBig ? { ok: false, reason: tooBig } : { ok: true, header: result.header };
      }
      want = Math.min(st.size, want * 4);
    }
  } catch (err) {
    return { ok: false, reason: unreadableReason(err) };
  } finally {
    await fh.close();
  }
}

/** Probes every path, a few at a time; results come back in the order of `paths`. */
export async function probeAll(
  paths: string[],
  opts: { limits?: ImageLimits; maxFileBytes?: number; signal?: AbortSignal } = {},
): Promise<ProbeResult[]> {
  const results = new Array<ProbeResult>(paths.length);
  let next = 0;
  const lane = async () => {
    while (next < paths.length) {
      if (opts.signal?.aborted) throw new Error('import cancelled');
      const i = next++;
      results[i] = await probeImageFile(paths[i], opts.limits, opts.maxFileBytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, paths.length) }, lane));
  return results;
}
