// Pause, resume and stop, from another task (the UI's messages, a terminal's Ctrl-C). The
// trainer checks between steps, so a step always finishes whole.

export class TrainControl {
  private paused = false;
  private stopped = false;
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
