// ReadbackPacer: ask for a step's results only when the step is likely to be done.
//
// Why: Dawn for Node (the `webgpu` package behind `convlab train` and `convlab bench`) waits for
// a mapAsync by re-arming setImmediate on every turn of the event loop for as long as any map is
// pending — one CPU core kept busy. With a map always pending (the trainer keeps PIPELINE_DEPTH
// steps in flight) that is three quarters of a core, and on a software adapter it is a core the
// "GPU" itself needs: SwiftShader's worker threads got ~1.2 of the 2 cores here. So the trainer
// first waits on a timer for as long as a step usually takes, and only then starts the map.
//
// Arriving late costs no throughput: while the trainer waits for step k − 2, steps k − 1 and k
// are already queued, so the device stays busy and only the statistics arrive a little later.
// Arriving early costs the polling until the step is done. Hence the estimate is learnt from
// the early arrivals (they show the true latency) and, after each late one, drifts a little
// earlier to find the edge again. In a browser a pending map costs nothing, so the trainer does
// not pace there (Backend.busyReadbackWait).

/** A map that resolved within this long after it was started found the step already done. */
const ALREADY_DONE_MS = 2;
/** Start each wait this fraction of a step early, so that most waits see their step finish (and
 *  so measure it) for a few percent of a step's polling. */
const EARLY = 0.05;
/** How fast the estimate follows a new measurement, and how much shorter it tries after a late arrival. */
const FOLLOW = 0.3;
const DRIFT_SHORTER = 0.9;

/** One submitted step: wait for `ready` before waiting on the device, then call done(). */
export interface PacedStep {
  readonly ready: Promise<void>;
  /** The step's results arrived (or it was abandoned: an error, a stop). */
  done(): void;
}

export class ReadbackPacer {
  /** Device time per step, in ms; null until a step has been seen to take time. */
  private stepMs: number | null = null;
  /** Resolves with when the previous step was done (exactly, or at the latest); null at the start. */
  private previousDone: Promise<number | null> = Promise.resolve(null);

  get estimateMs(): number | null {
    return this.stepMs;
  }

  /** Call as a step is submitted. Steps run on the device in submission order, so a
   *  step is expected to be done one step's time after the one before it (or after its submit). */
  submitted(): PacedStep {
    const submittedAt = performance.now();
    let mapStartedAt = submittedAt;
    let markDone!: (at: number) => void;
    const previous = this.previousDone;
    this.previousDone = new Promise((resolve) => (markDone = resolve));
    let lastDoneAt: number | null = null;
    const ready = previous.then(async (prevDoneAt) => {
      lastDoneAt = prevDoneAt;
      if (this.stepMs !== null) {
        const expectedAt = Math.max(submittedAt, prevDoneAt ?? submittedAt) + (1 - EARLY) * this.stepMs;
        const remaining = expectedAt - performance.now();
        if (remaining >= 1) await new Promise((resolve) => setTimeout(resolve, remaining));
      }
      mapStartedAt = performance.now();
    });
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      const resolvedAt = performance.now();
      const exact = resolvedAt - mapStartedAt > ALREADY_DONE_MS;
      // A late arrival only tells by when the step was done.
      const doneAt = exact ? resolvedAt : mapStartedAt;
      this.learn(exact, doneAt - Math.max(submittedAt, lastDoneAt ?? submittedAt));
      markDone(doneAt);
    };
    return { ready, done };
  }

  private learn(exact: boolean, sampleMs: number): void {
    if (exact) this.stepMs = this.stepMs === null ? sampleMs : this.stepMs + FOLLOW * (sampleMs - this.stepMs);
    else if (this.stepMs !== null) this.stepMs *= DRIFT_SHORTER;
  }
}
