// The main process's log file: <app.getPath('logs')>/main.log. Startup failures, a home that was
// moved or left behind, GPU or renderer crashes. Each entry carries a timestamp and the versions
// (a bug report needs them), an error its stack.
//
// Written synchronously on purpose: the entries that matter most are written just before the
// process exits, when an asynchronous write would be lost. No Electron import: main passes the
// folder and the versions in, tests pass a temp folder.
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const LOG_FILE = 'main.log';
/** Past this size the log is renamed to main.old.log (one generation kept), so it cannot grow without bound. */
export const LOG_MAX_BYTES = 1 << 20;

export interface LogFacts {
  appVersion: string;
  versions: { electron?: string; chrome?: string; node?: string };
  platform: string;
  arch: string;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface AppLog {
  /** The log file's path, to show the user. */
  readonly file: string;
  /** Appends one entry; never throws (a log that cannot be written must not take the app down). */
  write(level: LogLevel, message: string, error?: unknown): boolean;
}

/** One line naming the build, e.g. "Conv Lab 0.1.0 · Electron 45.5.0 · Chromium 142 · Node 24.11 · linux x64". */
export function versionLine(facts: LogFacts): string {
  const { electron, chrome, node } = facts.versions;
  return [
    `Conv Lab ${facts.appVersion}`,
    electron ? `Electron ${electron}` : null,
    chrome ? `Chromium ${chrome}` : null,
    node ? `Node ${node}` : null,
    `${facts.platform} ${facts.arch}`,
  ].filter((part) => part !== null).join(' · ');
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

export function formatEntry(now: Date, level: LogLevel, facts: LogFacts, message: string, error?: unknown): string {
  const lines = [`[${now.toISOString()}] ${level.toUpperCase()} ${message}`, `  ${versionLine(facts)}`];
  if (error !== undefined) lines.push(...describeError(error).split('\n').map((line) => `  ${line}`));
  return `${lines.join('\n')}\n`;
}

export function createAppLog(dir: string, facts: LogFacts, now: () => Date = () => new Date()): AppLog {
  const file = join(dir, LOG_FILE);
  return {
    file,
    write(level, message, error) {
      try {
        mkdirSync(dir, { recursive: true });
        rotateIfLarge(file);
        appendFileSync(file, formatEntry(now(), level, facts, message, error));
        return true;
      } catch {
        return false;
      }
    },
  };
}

function rotateIfLarge(file: string): void {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    return; // no log yet
  }
  if (size >= LOG_MAX_BYTES) renameSync(file, file.replace(/\.log$/, '.old.log'));
}
