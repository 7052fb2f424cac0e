// Where Conv Lab's package.json is and what version it names. The CLI runs from src/cli (tsx) or
// from the bundle in out/cli, so the path to package.json is found by walking up, never fixed.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json above this module: the repository or the installed package. */
export function packageRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find Conv Lab's package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The `version` field of Conv Lab's package.json, or 'unknown' when it cannot be read. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
