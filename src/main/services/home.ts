// The Conv Lab home folder: where runs, datasets, the autotune cache and settings live.
//
// Precedence: an explicit --home beats the CONVLAB_HOME environment variable, which beats the
// platform's per-user DATA folder for an app named "Conv Lab" (dataFolder below). Runs and
// datasets are user data that can reach gigabytes, so they do not go into Electron's userData,
// which is a config-like folder that Chromium fills with its own caches and that some desktops
// back up or sync. The app (src/main) and the CLI both call openHome() (homeMigration.ts),
// which resolves the home this file computes and moves an older home there once.
//
// Computing the folders here instead of asking Electron lets the CLI and the browser host find
// the same runs without importing Electron.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir as osHomedir } from 'node:os';
import { isAbsolute, join, posix, resolve, win32 } from 'node:path';

export const APP_NAME = 'Conv Lab';
/**
 * Names older builds used for their userData folder: the CLI computed "Conv Lab", while the
 * Electron app, having no productName, used the package name "conv-lab". Either may hold runs.
 */
export const LEGACY_APP_NAMES = [APP_NAME, 'conv-lab'] as const;
export const HOME_SUBFOLDERS = ['runs', 'datasets', 'cache'] as const;
/** Everything Conv Lab itself keeps in a home; a migration moves exactly these. */
export const HOME_ENTRIES = [...HOME_SUBFOLDERS, 'settings.json'] as const;
/** Present in a home while a migration into it is under way (see homeMigration.ts). */
export const MIGRATION_MARKER = '.migrating-from.json';

export interface ResolveHomeOptions {
  /** The --home command-line value, if given. */
  home?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
}

/**
 * Where the home came from: `flag` (--home), `env` (CONVLAB_HOME), `default` (the data folder),
 * or `legacy` (an older home that still holds the data because it has not been moved yet).
 */
export type HomeSource = 'flag' | 'env' | 'default' | 'legacy';

export interface LocatedHome {
  home: string;
  source: HomeSource;
}

/** The home folder path (see locateHome). Kept as the CLI's one-call entry point. */
export function resolveHome(opts: ResolveHomeOptions = {}): string {
  return locateHome(opts).home;
}

/**
 * Resolves the home without changing anything on disk. Until an older home has been moved
 * (openHome does that once), the default points at it, so no run seems lost in between.
 */
export function locateHome(opts: ResolveHomeOptions = {}): LocatedHome {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  if (opts.home !== undefined) return { home: checked(opts.home, '--home'), source: 'flag' };
  const fromEnv = env.CONVLAB_HOME;
  if (fromEnv !== undefined && fromEnv !== '') return { home: checked(fromEnv, 'CONVLAB_HOME'), source: 'env' };
  const home = opts.homedir ?? osHomedir();
  const target = dataFolder(platform, env, home);
  if (!holdsLabData(target) && !existsSync(join(target, MIGRATION_MARKER))) {
    const older = legacyHomes(platform, env, home).find(holdsLabData);
    if (older !== undefined) return { home: older, source: 'legacy' };
  }
  return { home: target, source: 'default' };
}

function checked(value: string, source: string): string {
  if (value.trim() === '') {
    throw new Error(`${source} is empty; give the folder Conv Lab should keep its runs and datasets in`);
  }
  if (value.includes('\0')) throw new Error(`${source} contains a NUL character; give a plain folder path`);
  // Relative paths are taken from the working directory, as a shell user would expect.
  return isAbsolute(value) ? value : resolve(value);
}

/**
 * The platform's per-user data folder for Conv Lab: XDG_DATA_HOME (default ~/.local/share) on
 * Linux, %LOCALAPPDATA% on Windows (local, not roaming: datasets are large). On macOS data and
 * config share ~/Library/Application Support/Conv Lab, which is also Electron's userData; the
 * home is its "Data" subfolder there, because Electron's docs warn that Chromium's own entries
 * (Cache, GPUCache, Local Storage, ...) live at that level, and APFS is case-insensitive by
 * default, so our cache/ would be Chromium's Cache/.
 */
export function dataFolder(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA && win32.isAbsolute(env.LOCALAPPDATA) ? env.LOCALAPPDATA : win32.join(home, 'AppData', 'Local');
    return win32.join(local, APP_NAME);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_NAME, 'Data');
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const data = xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.local', 'share');
  return posix.join(data, APP_NAME);
}

/** Mirrors Electron's app.getPath('userData'): appData + the app's name (see Electron's app.getPath docs). */
export function userDataFolder(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string, name: string = APP_NAME): string {
  if (platform === 'win32') {
    const appData = env.APPDATA && env.APPDATA !== '' ? env.APPDATA : win32.join(home, 'AppData', 'Roaming');
    return win32.join(appData, name);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', name);
  // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  const config = xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.config');
  return posix.join(config, name);
}

/** Homes older versions used by default, most likely first; never the current data folder. */
export function legacyHomes(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string[] {
  const target = dataFolder(platform, env, home);
  return LEGACY_APP_NAMES.map((name) => userDataFolder(platform, env, home, name)).filter((dir) => dir !== target);
}

/** True when `dir` has at least one run or dataset (an empty runs/ made by ensureHome does not count). */
export function holdsLabData(dir: string): boolean {
  return ['runs', 'datasets'].some((sub) => {
    try {
      return readdirSync(join(dir, sub)).some((name) => !name.startsWith('.'));
    } catch {
      return false; // missing, not a folder, or unreadable: nothing we could show anyway
    }
  });
}

export interface HomeFolders {
  home: string;
  runs: string;
  datasets: string;
  cache: string;
}

/** Creates the home folder and its subfolders if missing (idempotent) and returns their paths. */
export async function ensureHome(home: string): Promise<HomeFolders> {
  const folders: HomeFolders = {
    home,
    runs: join(home, 'runs'),
    datasets: join(home, 'datasets'),
    cache: join(home, 'cache'),
  };
  for (const sub of HOME_SUBFOLDERS) {
    try {
      await mkdir(folders[sub], { recursive: true });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new Error(
        `Cannot create ${folders[sub]} (${err.code ?? err.message}); choose a writable home with --home or CONVLAB_HOME`,
        { cause: e },
      );
    }
  }
  return folders;
}
