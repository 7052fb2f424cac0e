// A race between the candidate kernels of one problem (a conv layer's phase, a linear layer's
// GEMM), run on real training steps: each step that records the problem runs one candidate, and
// that step's own timestamp queries say what it cost. Pure logic — which candidate to run next,
// when one is clearly behind, when the race is decided — so the CPU test tier covers it.
//
// Candidate 0 is what runs untuned, and may run at once. Every other one must first be made
// ready by the caller (its pipelines compiled, its result checked: ready() or reject()). A
// follower (an im2col GEMM tile other than the heuristic's) waits until the candidate it follows
// has run once and is still in the race: if im2col with its usual tile is far behind, its other
// tiles are never compiled nor run.
//
// Every runnable candidate gets one sample; after each sample, a candidate whose best sample is
// `dropFactor` times the leader's median is dropped (the leader's median, not its best, so one
// lucky sample of the leader never drops a close rival). The survivors run until each has
// `samples` samples, and the lowest median wins. A slow candidate so costs one step, which
// matters because each of these steps is a training step somebody is waiting for.

import { type CandidateTiming, median } from './autotuner';

export interface RaceOptions {
  /** Samples each surviving candidate gets before the race is decided. */
  samples: number;
  /** Drop a candidate once its best sample exceeds the leader's median by this factor. */
  dropFactor: number;
}

export const DEFAULT_RACE: RaceOptions = { samples: 3, dropFactor: 1.5 };

type State = 'held' | 'pending' | 'running' | 'dropped' | 'rejected';

export class CandidateRace {
  private readonly samples: number[][];
  /** Runs handed out whose time has not come back yet. */
  private readonly inFlight: number[];
  private readonly state: State[];
  private readonly why: Array<string | undefined>;
  /** Pending candidates already handed to the caller to prepare. */
  private readonly handedOut = new Set<number>();

  /** `follows[i]`: the candidate that candidate i waits for (null: none). */
  constructor(readonly names: readonly string[], private readonly follows: ReadonlyArray<number | null> = [], private readonly opts: RaceOptions = DEFAULT_RACE) {
    this.samples = names.map(() => []);
    this.inFlight = names.map(() => 0);
    this.state = names.map((_, i) => (i === 0 ? 'running' : this.follows[i] != null ? 'held' : 'pending'));
    this.why = names.map(() => undefined);
  }

  /** Candidates that became pending since the last call: prepare each, then ready() or reject(). */
  toPrepare(): number[] {
    const out: number[] = [];
    this.state.forEach((s, i) => {
      if (s === 'pending' && !this.handedOut.has(i)) {
        this.handedOut.add(i);
        out.push(i);
      }
    });
    return out;
  }

  ready(i: number): void {
    if (this.state[i] === 'pending') this.state[i] = 'running';
  }

  /** Candidate i must never run (it failed its check; candidate 0 too may fail it). */
  reject(i: number, why: string): void {
    if (this.state[i] === 'dropped' || this.state[i] === 'rejected') return;
    this.state[i] = 'rejected';
    this.why[i] = why;
    this.dropFollowers(i, `not run: ${this.names[i]} was rejected`);
  }

  /** The candidate the next step should run: the runnable one with the fewest samples (counting
   *  those in flight) while any still needs one, else the current leader (its extra samples
   *  only sharpen its median). Null when nothing may run. */
  next(): number | null {
    const alive = this.alive();
    if (alive.length === 0) return null;
    let pick: number | null = null;
    const have = (i: number): number => this.samples[i]!.length + this.inFlight[i]!;
    for (const i of alive) {
      if (have(i) < this.opts.samples && (pick === null || have(i) < have(pick))) pick = i;
    }
    pick ??= this.leader() ?? alive[0]!;
    this.inFlight[pick]!++;
    return pick;
  }

  /** The time of candidate i on one step; null when that step timed nothing for it. */
  record(i: number, ms: number | null): void {
    this.inFlight[i] = Math.max(0, this.inFlight[i]! - 1);
    if (ms === null || !Number.isFinite(ms) || ms < 0) return;
    this.samples[i]!.push(ms);
    const lead = this.leader();
    if (lead === null) return;
    const bar = this.opts.dropFactor * median(this.samples[lead]!);
    for (const j of this.alive()) {
      if (j === lead || this.samples[j]!.length === 0) continue;
      const best = Math.min(...this.samples[j]!);
      if (best > bar) {
        this.state[j] = 'dropped';
        this.dropFollowers(j, `not run: ${this.names[j]} took ${(best / median(this.samples[lead]!)).toFixed(1)}× the leader`);
      }
    }
    // A candidate that ran and is still in the race lets its followers in.
    this.state.forEach((s, f) => {
      const leaderOf = this.follows[f];
      if (s === 'held' && leaderOf != null && this.state[leaderOf] === 'running' && this.samples[leaderOf]!.length > 0) this.state[f] = 'pending';
    });
  }

  /** Decided once nothing is still held or being prepared, and either one runnable candidate is
   *  left (with a sample) or every runnable one has its samples; also when nothing may run. */
  get decided(): boolean {
    if (this.state.some((s) => s === 'held' || s === 'pending')) return false;
    const alive = this.alive();
    if (alive.length <= 1) return alive.length === 0 || this.samples[alive[0]!]!.length > 0;
    return alive.every((i) => this.samples[i]!.length >= this.opts.samples);
  }

  /** Whether candidate i may run now. */
  runnable(i: number): boolean {
    return this.state[i] === 'running';
  }

  /** The runnable candidate with the lowest median so far (ties keep the earlier one). */
  leader(): number | null {
    let best: number | null = null;
    for (const i of this.alive()) {
      if (this.samples[i]!.length === 0) continue;
      if (best === null || median(this.samples[i]!) < median(this.samples[best]!)) best = i;
    }
    return best;
  }

  /** Per candidate: the median of its samples (null if it never ran), and why it did not run. */
  timings(): CandidateTiming[] {
    return this.names.map((name, i) => ({
      name,
      ms: this.samples[i]!.length > 0 ? median(this.samples[i]!) : null,
      ...(this.why[i] !== undefined ? { rejected: this.why[i] } : {}),
    }));
  }

  sampleCount(i: number): number {
    return this.samples[i]!.length;
  }

  private alive(): number[] {
    const out: number[] = [];
    this.state.forEach((s, i) => s === 'running' && out.push(i));
    return out;
  }

  private dropFollowers(i: number, why: string): void {
    this.state.forEach((s, f) => {
      if (this.follows[f] === i && (s === 'held' || s === 'pending')) {
        this.state[f] = 'dropped';
        this.why[f] = why;
      }
    });
  }
}
