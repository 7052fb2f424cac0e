// Pacing of the validation pass's one readback, for the reason the steps' are paced (see
// readbackPacer.ts): Dawn for Node polls the event loop busily while a map is pending, and on a
// software adapter that takes a CPU core from the kernels being waited for. The whole pass is one
// submit; its map starts only once the pass is expected to be done.
//
// The expectation is learnt per image from earlier passes (those whose map found the pass still
// running, so their time is exact; one that arrived late only says "at most", and the estimate
// shrinks). The first pass starts from a guess: a training step's device time scaled to the
// images, times the share of a step the forward pass takes — low on purpose, since waiting too
// long delays the epoch's end while too short only costs some polling. The guess is also capped:
// the step estimate may come from a first step that paid for compiles (a 6.6 s step once made a
// 2,000-image validation wait 214 s for work done in a few), and polling past a short cap costs
// far less than sleeping past the end.

/** A map that resolved this soon after it started found the work already done. */
const ALREADY_DONE_MS = 2;
const EARLY = 0.05;
const SHRINK = 0.8;
/** Forward only, against forward + backward + update: about a third of a step, guessed low. */
export const FORWARD_SHARE_OF_STEP = 0.3;
/** The longest the first pass waits on a guess before it starts polling. */
export const MAX_GUESS_MS = 3000;

export class PassPacer {
  private msPerImage: number | null = null;

  /** Call as the pass is submitted; `guessMs` is used while nothing is learnt. */
  submitted(images: number, guessMs: number | null): { ready: Promise<void>; done(): void } {
    const submittedAt = performance.now();
    const expected = this.msPerImage !== null ? this.msPerImage * images : guessMs === null ? null : Math.min(guessMs, MAX_GUESS_MS);
    let mapStartedAt = submittedAt;
    const ready = (async () => {
      const wait = expected !== null ? (1 - EARLY) * expected : 0;
      if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
      mapStartedAt = performance.now();
    })();
    let finished = false;
    return {
      ready,
      done: () => {
        if (finished || images <= 0) return;
        finished = true;
        const now = performance.now();
        if (now - mapStartedAt > ALREADY_DONE_MS) this.msPerImage = (now - submittedAt) / images;
        else if (this.msPerImage !== null) this.msPerImage *= SHRINK;
        else if (expected !== null) this.msPerImage = (SHRINK * expected) / images;
      },
    };
  }
}
