// The Conv Lab home folder: where runs, datasets and caches live.
//
// Precedence: an explicit --home beats the CONVLAB_HOME environment variable, which beats the
// per-user folder Electron's app.getPath('userData') gives an app named "Conv Lab". Computing that
// folder here (instead of asking Electron) lets the CLI and the browser host find the same runs
// without importing Electron.
import { mkdir } from 'node:fs/promises';
import { homedir as osHomedir } from 'node:os';
import { isAbsolute, join, posix, resolve, win32 } from 'node:path';

export const APP_NAME = 'Conv Lab';
export const HOME_SUBFOLDERS = ['runs', 'datasets', 'cache'] as const;

export interface ResolveHomeOptions {
  /** The --home command-line value, if given. */
  home?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
}

export function resolveHome(opts: ResolveHomeOptions = {}): string {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  if (opts.home !== undefined) return checked(opts.home, '--home');
  const fromEnv = env.CONVLAB_HOME;
  if (fromEnv !== undefined && fromEnv !== '') return checked(fromEnv, 'CONVLAB_HOME');
  return userDataFolder(platform, env, opts.homedir ?? osHomedir());
}

function checked(value: string, source: string): string {
  if (value.trim() === '') {
    throw new Error(`${source} is empty; give the folder Conv Lab should keep its runs and datasets in`);
  }
  if (value.includes('\0')) throw new Error(`${source} contains a NUL character; give a plain folder path`);
  // Relative paths are taken from the working directory, as a shell user would expect.
  return isAbsolute(value) ? value : resolve(value);
}

/** Mirrors Electron's appData + app name (see Electron's app.getPath docs). */
export function userDataFolder(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') {
    const appData = env.APPDATA && env.APPDATA !== '' ? env.APPDATA : win32.join(home, 'AppData', 'Roaming');
    return win32.join(appData, APP_NAME);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_NAME);
  // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  const config = xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.config');
  return posix.join(config, APP_NAME);
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
