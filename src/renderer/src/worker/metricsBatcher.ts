// Batches metrics records on their way from the worker to the run store (lab.runs.appendMetrics).
//
// One LabApi call per step would be hundreds of IPC round trips a second on a fast GPU; one call
// every ~500 ms keeps the log at most half a second behind the charts. Sends are strictly
// sequential (the next waits for the previous), so records reach the log in step order even
// though each send is asynchronous, and flush() resolves only when everything pushed before it
// is stored: the run is finished only after that.

export interface BatcherOptions {
  /** How long a record may wait before it is sent (ms). */
  intervalMs?: number;
  /** Records per call at most (the LabApi schema's MAX_METRICS_PER_CALL). */
  maxBatch?: number;
  /** Timer functions, injectable so tests control time. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class MetricsBatcher<T> {
  private pending: T[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: unknown = null;
  private closed = false;
  /** The first failed send; later pushes are dropped and flush() rejects with it. */
  private failure: Error | null = null;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly send: (batch: T[]) => Promise<void>, options: BatcherOptions = {}) {
    this.intervalMs = options.intervalMs ?? 500;
    this.maxBatch = options.maxBatch ?? 5000;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /** Records waiting for the next send. */
  get size(): number {
    return this.pending.length;
  }

  get error(): Error | null {
    return this.failure;
  }

  push(...records: T[]): void {
    if (this.closed) throw new Error('MetricsBatcher: push after close');
    if (this.failure) return;
    this.pending.push(...records);
    if (this.pending.length >= this.maxBatch) this.sendPending();
    else if (this.timer === null) this.timer = this.setTimer(() => this.sendPending(), this.intervalMs);
  }

  /** Sends what is pending now and resolves when every send so far has finished. */
  async flush(): Promise<void> {
    this.sendPending();
    await this.chain;
    if (this.failure) throw this.failure;
  }

  /** flush(), then refuse further pushes. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.closed = true;
    }
  }

  private sendPending(): void {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    while (this.pending.length > 0 && !this.failure) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.chain = this.chain.then(async () => {
        if (this.failure) return;
        try {
          await this.send(batch);
        } catch (e) {
          this.failure = e instanceof Error ? e : new Error(String(e));
          this.pending = [];
        }
      });
    }
  }
}
