// Pause, resume and stop, from another task (the UI's messages, a terminal's Ctrl-C). The
// trainer checks between steps, so a step always finishes whole.

export class TrainControl {
  private paused = false;
  private stopped = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** Stop because something failed outside the trainer (a lost GPU device): the session records
   *  the run as failed with this error, not as stopped by the user. */
  abort(error: Error): void {
    this.failure ??= error;
    this.stop();
  }

  /** The error abort() was given, if any. */
  get abortedWith(): Error | null {
    return this.failure;
  }

  get stopRequested(): boolean {
    return this.stopped;
  }

  get isPaused(): boolean {
    return this.paused && !this.stopped;
  }

  /** Resolves at once unless paused; then when resumed or stopped. */
  async checkpoint(): Promise<void> {
    while (this.isPaused) await new Promise<void>((r) => (this.wake = r));
    this.wake = null;
  }
}
