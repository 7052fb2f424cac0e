// openHome: the one call the Electron main and the CLI make to find their home. It resolves the
// folder as home.ts says and, the first time, moves an older default home (Electron's userData
// folder of earlier versions) into the data folder.
//
// The move is built so that no step can lose or overwrite data:
//  - only a default home migrates; --home and CONVLAB_HOME are the user's word and stay as they are;
//  - only when the new home holds no run and no dataset; when both hold data the new one is used
//    and the old one is left untouched, with a note saying where it is;
//  - entry by entry (runs/, datasets/, cache/, settings.json), each with one rename; an entry the
//    new home already has (unless it is an empty folder) stays where it is;
//  - across file systems (rename fails with EXDEV) an entry is copied to a hidden staging name,
//    compared file by file (names and sizes) with the original, renamed into place, and only
//    then is the original removed;
//  - a marker file in the new home names the source while the move is under way, so a move cut
//    short (crash, power cut) resumes on the next start instead of stranding half the data;
//  - if anything fails, the old home keeps being used and the note says why.
import { cp, lstat, mkdir, readFile, readdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { homedir as osHomedir } from 'node:os';
import { join, relative } from 'node:path';
import { writeFileAtomic } from './atomicFile';
import {
  dataFolder,
  HOME_ENTRIES,
  holdsLabData,
  legacyHomes,
  locateHome,
  MIGRATION_MARKER,
  type HomeSource,
  type ResolveHomeOptions,
} from './home';

export interface OpenedHome {
  home: string;
  source: HomeSource;
  /** What happened, in sentences for a log or a terminal; empty when there was nothing to say. */
  notes: string[];
  /** Set when this call moved (or finished moving) an older home. */
  migrated?: { from: string; to: string; moved: string[]; copied: string[]; keptInPlace: string[] };
  /** Set when a move was needed but failed; `home` is then the old folder. */
  migrationError?: string;
}

export async function openHome(opts: ResolveHomeOptions = {}): Promise<OpenedHome> {
  const located = locateHome(opts);
  if (located.source === 'flag' || located.source === 'env') return { ...located, notes: [] };

  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const home = opts.homedir ?? osHomedir();
  const target = dataFolder(platform, env, home);
  const older = legacyHomes(platform, env, home);

  // A marker names the home a cut-short move came from; only one of ours is trusted as a source.
  const marked = await readMarker(target);
  const pending = marked !== undefined && older.includes(marked) ? marked : undefined;
  const from = pending ?? (holdsLabData(target) ? undefined : older.find(holdsLabData));
  const untouched = older.filter((dir) => dir !== from && holdsLabData(dir));
  const notes = untouched.map(
    (dir) => `Older Conv Lab runs or datasets are in ${dir}; they were left untouched. Conv Lab now uses ${target}. ` +
      `To see them, start with CONVLAB_HOME="${dir}", or move their folders into ${target}.`,
  );
  if (from === undefined) return { home: target, source: 'default', notes };

  try {
    const migrated = await migrateHome(from, target);
    const parts = [`Moved ${migrated.moved.concat(migrated.copied).join(', ') || 'nothing'} from ${from} to ${target}`];
    if (migrated.copied.length > 0) parts.push(`(${migrated.copied.join(', ')} copied across drives, verified, then removed from the old place)`);
    if (migrated.keptInPlace.length > 0) {
      parts.push(`; ${migrated.keptInPlace.join(', ')} stayed in ${from} because ${target} already has them`);
    }
    return { home: target, source: 'default', notes: [`${parts.join(' ')}.`, ...notes], migrated };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      home: from,
      source: 'legacy',
      migrationError: reason,
      notes: [
        `Could not move Conv Lab's data from ${from} to ${target} (${reason}). Conv Lab keeps using ${from}; ` +
          'nothing was deleted. Free space or fix permissions and restart to try again, or set CONVLAB_HOME.',
        ...notes,
      ],
    };
  }
}

/** Moves the home entries of `from` into `to` (see the rules at the top of this file). */
export async function migrateHome(from: string, to: string) {
  await mkdir(to, { recursive: true });
  const marker = join(to, MIGRATION_MARKER);
  await writeFileAtomic(marker, `${JSON.stringify({ version: 1, from, startedAt: new Date().toISOString() })}\n`);
  const result = { from, to, moved: [] as string[], copied: [] as string[], keptInPlace: [] as string[] };
  for (const entry of HOME_ENTRIES) {
    const source = join(from, entry);
    if (!(await exists(source))) continue;
    const destination = join(to, entry);
    if (await exists(destination)) {
      if (!(await isEmptyFolder(destination))) {
        result.keptInPlace.push(entry);
        continue;
      }
      await rmdir(destination); // an empty folder made by ensureHome; rmdir refuses anything else
    }
    const how = await moveEntry(source, destination, join(to, `.${entry}.migrating`));
    result[how].push(entry);
  }
  await unlink(marker);
  return result;
}

/** One rename, or across file systems copy → verify → rename into place → remove the original. */
async function moveEntry(source: string, destination: string, staging: string): Promise<'moved' | 'copied'> {
  try {
    await rename(source, destination);
    return 'moved';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
  }
  await copyVerified(source, staging);
  await rename(staging, destination);
  await rm(source, { recursive: true });
  return 'copied';
}

/**
 * Copies a file or folder to `target` (replacing a leftover staging copy of an interrupted run)
 * and checks that every file arrived with its size; removes the copy and throws if not.
 */
export async function copyVerified(source: string, target: string): Promise<void> {
  await rm(target, { recursive: true, force: true });
  try {
    await cp(source, target, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
    const [want, got] = await Promise.all([listTree(source), listTree(target)]);
    for (const [name, size] of want) {
      if (got.get(name) !== size) {
        throw new Error(`the copy of ${join(source, name)} is ${got.has(name) ? `${got.get(name)} bytes, not ${size}` : 'missing'}`);
      }
    }
    if (got.size !== want.size) throw new Error(`the copy of ${source} has ${got.size} entries, not ${want.size}`);
  } catch (e) {
    await rm(target, { recursive: true, force: true });
    throw e;
  }
}

/** Relative path → size in bytes (-1 for a folder), for a file or a whole tree. */
async function listTree(root: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const walk = async (path: string): Promise<void> => {
    const info = await lstat(path); // a symlink is compared as a link, as cp copies it
    out.set(relative(root, path), info.isDirectory() ? -1 : info.size);
    if (info.isDirectory()) for (const name of await readdir(path)) await walk(join(path, name));
  };
  await walk(root);
  return out;
}

async function readMarker(home: string): Promise<string | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(home, MIGRATION_MARKER), 'utf8')) as { from?: unknown };
    return typeof parsed.from === 'string' && parsed.from !== '' ? parsed.from : undefined;
  } catch {
    return undefined; // no migration under way (or a marker we cannot read: treat as none)
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}

async function isEmptyFolder(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length === 0;
  } catch {
    return false; // a file, or unreadable: not ours to remove
  }
}
