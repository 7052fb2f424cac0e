// Facts about this build that several shell modules need (menu, About, log), read once.
// The homepage comes from package.json (inside app.asar when packaged), so the one place that
// names it is the one electron-builder reads for the deb's Homepage field.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogFacts } from './appLog';

export interface AppLike {
  getVersion(): string;
  getAppPath(): string;
  readonly isPackaged: boolean;
}

export interface AppFactsAll extends LogFacts {
  isPackaged: boolean;
  appPath: string;
  homepage?: string;
}

export function packageHomepage(appPath: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8')) as { homepage?: unknown };
    return typeof pkg.homepage === 'string' && pkg.homepage.startsWith('https://') ? pkg.homepage : undefined;
  } catch {
    return undefined; // no link is better than a startup failure over a link
  }
}

export function collectAppFacts(app: AppLike, proc: Pick<NodeJS.Process, 'versions' | 'platform' | 'arch'>): AppFactsAll {
  const appPath = app.getAppPath();
  return {
    appVersion: app.getVersion(),
    versions: proc.versions,
    platform: proc.platform,
    arch: proc.arch,
    isPackaged: app.isPackaged,
    appPath,
    homepage: packageHomepage(appPath),
  };
}
