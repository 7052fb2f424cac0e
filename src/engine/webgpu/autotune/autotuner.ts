// Per-adapter autotuning, as cuDNN's benchmark mode: the first time a problem shape is seen,
// every candidate kernel configuration is timed on this adapter, the fastest is kept, and the
// choice is remembered — in memory, and through an injected store so the next process (or the
// next app launch) starts with it. Pure logic: timing is a function the caller passes in, and
// the store is an interface (the CLI gives a JSON file, the app can give localStorage), so the
// engine imports nothing platform-specific and the CPU test tier covers all of this.

export interface AutotuneStore {
  load(): Promise<AutotuneFile | null>;
  save(file: AutotuneFile): Promise<void>;
}

export interface CandidateTiming {
  name: string;
  /** Median milliseconds; null when the candidate was not timed (it failed its check). */
  ms: number | null;
  rejected?: string;
}

export interface TuneChoice {
  /** Problem key, e.g. "gemm:nt:16x72x196:b1x1:r64". */
  key: string;
  /** What the key is for, e.g. "grad-weight" or "gemm". */
  phase: string;
  choice: string;
  /** 'measured' this process, 'cached' from the store, 'heuristic' when nothing was timed. */
  reason: 'measured' | 'cached' | 'heuristic';
  candidates: CandidateTiming[];
}

export interface AutotuneFile {
  version: 1;
  /** adapterKey → problem key → choice. */
  adapters: Record<string, Record<string, Omit<TuneChoice, 'key' | 'reason'>>>;
}

export interface AdapterIdentity {
  vendor: string;
  architecture: string;
  description: string;
}

/** Tuning results are only valid on the adapter that produced them. */
export const adapterKey = (a: AdapterIdentity): string => [a.vendor, a.architecture, a.description].map((s) => s || '-').join('|');

/** The fastest timed candidate; ties keep the earlier one (candidates come best-guess first). */
export function fastest(timings: readonly CandidateTiming[]): CandidateTiming | null {
  let best: CandidateTiming | null = null;
  for (const t of timings) {
    if (t.ms === null || !Number.isFinite(t.ms)) continue;
    if (!best || t.ms < best.ms!) best = t;
  }
  return best;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export class Autotuner {
  private readonly choices = new Map<string, TuneChoice>();
  private loaded = false;
  private dirty = false;

  constructor(readonly adapter: string, private readonly store: AutotuneStore | null = null) {}

  /** Read earlier choices for this adapter from the store (once; later calls do nothing). */
  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const file = this.store ? await this.store.load().catch(() => null) : null;
    const mine = file?.version === 1 ? file.adapters?.[this.adapter] : undefined;
    for (const [key, c] of Object.entries(mine ?? {})) {
      if (typeof c?.choice === 'string' && !this.choices.has(key)) this.choices.set(key, { ...c, key, reason: 'cached' });
    }
  }

  /** The remembered choice for a key, if any (measured or cached). */
  get(key: string): TuneChoice | undefined {
    return this.choices.get(key);
  }

  /** Remember a choice that nothing measured, so describe() can say why it was used. */
  noteHeuristic(key: string, phase: string, choice: string): void {
    if (!this.choices.has(key)) this.choices.set(key, { key, phase, choice, reason: 'heuristic', candidates: [] });
  }

  /** Remember a choice measured elsewhere (on training steps: autotune/stepTuner.ts), as
   *  tune() would have: reason 'measured', written back by save(). */
  record(key: string, phase: string, choice: string, candidates: CandidateTiming[]): void {
    this.choices.set(key, { key, phase, choice, reason: 'measured', candidates: [...candidates] });
    this.dirty = true;
  }

  /** Time every candidate with `measure` (which returns ms, or throws to reject it) unless the
   *  key already has a measured or cached choice; returns the chosen name. */
  async tune(key: string, phase: string, names: readonly string[], measure: (name: string) => Promise<number>): Promise<string> {
    const known = this.choices.get(key);
    if (known && known.reason !== 'heuristic') return known.choice;
    const candidates: CandidateTiming[] = [];
    for (const name of names) {
      try {
        candidates.push({ name, ms: await measure(name) });
      } catch (error) {
        candidates.push({ name, ms: null, rejected: error instanceof Error ? error.message : String(error) });
      }
    }
    const best = fastest(candidates);
    if (!best) throw new Error(`autotune ${key}: no candidate ran (${candidates.map((c) => `${c.name}: ${c.rejected}`).join('; ')})`);
    this.choices.set(key, { key, phase, choice: best.name, reason: 'measured', candidates });
    this.dirty = true;
    return best.name;
  }

  /** Which kernel each problem uses and why, for logs and the app's kernel panel. */
  describe(): TuneChoice[] {
    return [...this.choices.values()].map((c) => ({ ...c, candidates: [...c.candidates] }));
  }

  /** The save in progress: saves run one after another (two at once would race on the
   *  store's file — the step tuner saves when it is done, its host again at the end). */
  private saving: Promise<void> = Promise.resolve();

  /** Write measured choices back (merged into whatever the store holds for other adapters). */
  save(): Promise<void> {
    const next = this.saving.catch(() => undefined).then(() => this.saveNow());
    this.saving = next;
    return next;
  }

  private async saveNow(): Promise<void> {
    if (!this.store || !this.dirty) return;
    const file = (await this.store.load().catch(() => null)) ?? { version: 1 as const, adapters: {} };
    const merged: AutotuneFile = file.version === 1 ? file : { version: 1, adapters: {} };
    const mine = { ...(merged.adapters[this.adapter] ?? {}) };
    for (const c of this.choices.values()) {
      if (c.reason === 'measured') mine[c.key] = { phase: c.phase, choice: c.choice, candidates: c.candidates };
    }
    merged.adapters = { ...merged.adapters, [this.adapter]: mine };
    // Cleared before the write: a choice recorded while it runs makes the next save write again.
    this.dirty = false;
    try {
      await this.store.save(merged);
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }
}

/** A store that lives only as long as the object (tests, or an app with no persistence). */
export class MemoryAutotuneStore implements AutotuneStore {
  file: AutotuneFile | null = null;
  async load(): Promise<AutotuneFile | null> {
    return this.file ? (JSON.parse(JSON.stringify(this.file)) as AutotuneFile) : null;
  }
  async save(file: AutotuneFile): Promise<void> {
    this.file = JSON.parse(JSON.stringify(file)) as AutotuneFile;
  }
}
