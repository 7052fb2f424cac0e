// Progress of a long CLI job. On a terminal: one bar redrawn in place. Otherwise (a pipe, a log
// file, CI): a plain line at every tenth, so logs stay readable and short. Progress goes to
// stderr, keeping stdout for results (the --json line above all).

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  update(done: number, total: number, skipped?: number): void;
  /** Ends the bar's line; safe to call more than once. */
  finish(): void;
}

const REDRAW_MS = 50;

export function createProgress(stream: ProgressStream, label: string, now: () => number = Date.now): Progress {
  let lastDraw = -Infinity;
  let lastTenth = -1;
  let drawn = false;
  const text = (done: number, total: number, skipped: number) =>
    `${label} ${done}/${total}${skipped > 0 ? ` (${skipped} skipped)` : ''}`;

  return {
    update(done, total, skipped = 0) {
      const fraction = total > 0 ? Math.min(1, done / total) : 0;
      if (stream.isTTY) {
        if (now() - lastDraw < REDRAW_MS && done < total) return;
        lastDraw = now();
        const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 50));
        const filled = Math.round(fraction * width);
        const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`;
        stream.write(`\r\x1b[2K${bar} ${text(done, total, skipped)}`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`${text(done, total, skipped)} (${tenth * 10}%)\n`);
    },
    finish() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
