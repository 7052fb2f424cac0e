// Reading and atomically replacing manifest.json, with every read-modify-write of one manifest
// serialized inside this process. The writer (status, summary, heartbeat) and the user (name,
// notes, tags) patch different fields of the freshly read file, so neither undoes the other.
import { readFile } from 'node:fs/promises';
import { parseRunManifest, type RunManifest } from '../../../shared/runFormat';
import { writeFileAtomic } from '../atomicFile';

export async function readManifest(path: string): Promise<RunManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new Error(`${path} is missing; the run folder is incomplete or was deleted`, { cause: e });
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${(e as Error).message})`, { cause: e });
  }
  return parseRunManifest(value, path);
}

export async function writeManifest(path: string, manifest: RunManifest): Promise<void> {
  parseRunManifest(manifest, path); // never put a manifest on disk that could not be read back
  await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

const locks = new Map<string, Promise<unknown>>();

/** Runs fn after every earlier call for the same key has settled. */
export function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  const tail = next.catch(() => undefined);
  locks.set(key, tail);
  void tail.then(() => { if (locks.get(key) === tail) locks.delete(key); });
  return next;
}

/**
 * Reads the manifest, applies patch, and writes the result atomically, all under the lock.
 * patch returns null to leave the file untouched. updatedAt is set here.
 */
export function patchManifest(
  path: string,
  patch: (m: RunManifest) => RunManifest | null,
): Promise<RunManifest> {
  return withLock(path, async () => {
    const current = await readManifest(path);
    const next = patch(current);
    if (next === null) return current;
    const written = { ...next, updatedAt: new Date().toISOString() };
    await writeManifest(path, written);
    return written;
  });
}
