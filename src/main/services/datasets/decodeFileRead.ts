// Reading one candidate file safely, shared by the header probe (main thread) and the decode
// workers: only regular files are read, never through a link swapped in after the scan, never more
// than the size limit, and every failure becomes a short reason ("unreadable: permission denied").
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Flags for opening a candidate: O_NONBLOCK so a FIFO swapped in after the scan cannot block the
 *  open (the fstat then refuses it); O_NOFOLLOW so a path that became a symbolic link is refused. */
export const SAFE_OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0);

/** Files larger than this are refused before reading: no PNG/JPEG within the pixel limits needs it. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 2 ** 20;

/** `complete`: the bytes are the whole file (not just the prefix asked for). */
export type ReadOutcome = { ok: true; bytes: Uint8Array; complete: boolean } | { ok: false; reason: string };

const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder',
  ENOENT: 'the file disappeared',
  ELOOP: 'the path became a symbolic link',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
};

export function unreadableReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code) return `unreadable: ${ERRNO_WORDS[code] ?? e.message} (${code})`;
  return `unreadable: ${err instanceof Error ? err.message : String(err)}`;
}

/** Reads one regular file, or only its first `prefixBytes` bytes. */
export function readImageFile(path: string, maxFileBytes: number, prefixBytes = Infinity): ReadOutcome {
  let fd: number;
  try {
    fd = openSync(path, SAFE_OPEN_FLAGS);
  } catch (err) {
    return { ok: false, reason: unreadableReason(err) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, reason: 'unreadable: is a folder (EISDIR)' };
    if (!st.isFile()) return { ok: false, reason: 'unreadable: not a regular file' };
    if (st.size === 0) return { ok: false, reason: 'empty file' };
    if (st.size > maxFileBytes) {
      return { ok: false, reason: `file is ${mib(st.size)} MiB (limit ${mib(maxFileBytes)} MiB)` };
    }
    const bytes = new Uint8Array(Math.min(st.size, prefixBytes));
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, got);
      if (n === 0) break; // shrank while we read: decode what is there, the decoder will judge it
      got += n;
    }
    return { ok: true, bytes: got === bytes.length ? bytes : bytes.subarray(0, got), complete: got >= st.size || got < bytes.length };
  } catch (err) {
    return { ok: false, reason: unreadableReason(err) };
  } finally {
    closeSync(fd);
  }
}

export function mib(n: number): string {
  return (n / (1 << 20)).toFixed(1);
}
