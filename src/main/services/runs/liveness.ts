// Is a run's writer still there? A manifest that says 'running' may be left behind by a process
// that was killed, crashed, or lost power; readers must not show such a run as live forever.
import { hostname } from 'node:os';
import type { RunManifest } from '../../../shared/runFormat';

/** A writer that has not refreshed its heartbeat for this long is taken as gone. */
export const HEARTBEAT_STALE_MS = 10_000;
/** How often an active writer rewrites heartbeatAt; well under the stale limit. */
export const HEARTBEAT_WRITE_MS = 3_000;

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the manifest says 'running' but its writer is gone: its pid is dead (checked only
 * on the host that wrote it, since pids mean nothing elsewhere) or its heartbeat is stale.
 */
export function writerIsGone(m: RunManifest, now: number = Date.now()): boolean {
  if (m.status !== 'running') return false;
  if (m.pid !== null && m.host === hostname() && !isProcessAlive(m.pid)) return true;
  if (m.heartbeatAt === null) return true;
  return now - Date.parse(m.heartbeatAt) > HEARTBEAT_STALE_MS;
}
