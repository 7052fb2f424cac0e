// What happens when main cannot start (the home cannot be created, IPC registration throws, the
// page fails to load, ...): there may be no window to show it in, so it goes to a native error
// box (dialog.showErrorBox works even before 'ready'; on Linux before 'ready' it prints to
// stderr), to the log file, and to stderr, and the process exits non-zero.
import { describeError, type AppLog } from './appLog';

export interface ErrorBoxLike {
  showErrorBox(title: string, content: string): void;
}

export const STARTUP_FAILURE_TITLE = 'Conv Lab could not start';

/** The error box's text: the reason first, then where the details are (or the details themselves). */
export function startupFailureText(error: unknown, logFile: string | null): string {
  const reason = error instanceof Error ? error.message : String(error);
  const lines = [reason, ''];
  if (logFile !== null) {
    lines.push(`The details (time, versions, stack) were written to:\n${logFile}`, '', 'Include that file when you report the problem.');
  } else {
    lines.push('The log file could not be written either. Details:', describeError(error));
  }
  return lines.join('\n');
}

export function reportStartupFailure(
  error: unknown,
  deps: { dialog: ErrorBoxLike; log: AppLog | null; exit: (code: number) => void; stderr?: (text: string) => void },
): void {
  const logged = deps.log?.write('error', STARTUP_FAILURE_TITLE, error) ?? false;
  const text = startupFailureText(error, logged && deps.log ? deps.log.file : null);
  (deps.stderr ?? ((t: string) => process.stderr.write(t)))(`${STARTUP_FAILURE_TITLE}: ${describeError(error)}\n`);
  try {
    deps.dialog.showErrorBox(STARTUP_FAILURE_TITLE, text);
  } catch {
    // No display to show it on: stderr and the log already have it.
  }
  deps.exit(1);
}
