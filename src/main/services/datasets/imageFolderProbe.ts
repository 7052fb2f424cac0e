// Reads just the header of one candidate file (a 64 KiB prefix; more only for a JPEG whose EXIF or
// ICC data pushes the frame header further) before any decoding. The importer probes every file
// first, in the decode workers: this decides the default channel count from what files declare,
// drops files that are not images or declare absurd sizes without ever handing them to a decoder,
// and tells which class folders hold no usable image at all.
import { readImageFile } from './decodeFileRead';
import { checkDimensions, readImageHeader } from './imageHeader';
import type { ImageHeader, ImageLimits } from './imageHeader';

export type ProbeResult = { ok: true; header: ImageHeader } | { ok: false; reason: string };

const PREFIX_BYTES = 64 * 1024;

export function probeImageFile(path: string, limits: ImageLimits, maxFileBytes: number): ProbeResult {
  let want = PREFIX_BYTES;
  for (;;) {
    const read = readImageFile(path, maxFileBytes, want);
    if (!read.ok) return read;
    const result = readImageHeader(read.bytes, read.complete);
    if (result.status === 'bad') return { ok: false, reason: result.reason };
    if (result.status === 'ok') {
      const tooBig = checkDimensions(result.header, limits);
      return tooBig ? { ok: false, reason: tooBig } : { ok: true, header: result.header };
    }
    want *= 4; // incomplete prefix: the file is longer than `want`, so this ends at the file size
  }
}
