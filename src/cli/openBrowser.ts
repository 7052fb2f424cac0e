// Opens a URL in the user's default browser, when there is one to open. Quietly does nothing on
// a machine without a desktop opener (a server, a container), when stdout is not a terminal (a
// pipe, a log, a test) or under CI: there the printed URL is all the user needs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The command that opens a URL on this platform, or null when there is none. */
export function browserOpener(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): { command: string; args: string[] } | null {
  if (platform === 'darwin') return { command: 'open', args: [] };
  // `start` is a cmd built-in; the empty string is its window title, so the URL is not taken for one.
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  // Linux and the BSDs: xdg-open, only with a display to open on.
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  const onPath = (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'xdg-open')));
  return onPath ? { command: 'xdg-open', args: [] } : null;
}

/** True when a browser was asked to open the URL. Never throws. */
export function openInBrowser(url: string, opts: { isTTY?: boolean; env?: NodeJS.ProcessEnv } = {}): boolean {
  const env = opts.env ?? process.env;
  const isTTY = opts.isTTY ?? Boolean(process.stdout.isTTY);
  if (!isTTY || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false')) return false;
  const opener = browserOpener(process.platform, env);
  if (!opener) return false;
  try {
    const child = spawn(opener.command, [...opener.args, url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined); // an opener that fails to start only means no browser
    child.unref();
    return true;
  } catch {
    return false;
  }
}
