// Autotuning on the training steps themselves. Training starts at once on the heuristic choices.
// The first full-batch step shows which conv phases and GEMMs the model runs (the backend asks
// this object, its KernelPicker, before recording each one). Each problem's candidates then go
// through three stages while training goes on: their pipelines compile in the background
// (GpuContext.preparePipelines), each is checked against a reference on the device beside the
// next step (stepChecks.ts), and from then on each step runs, for every undecided problem, the
// candidate its race (race.ts) asks for; that step's own timestamp queries — the profiler labels
// every pass layer|phase|kernel — are the candidate's sample. A decided problem goes into the
// autotuner under the keys tuneConv() uses (conv:…, tile:conv:…, gemm:…; reason 'measured'), so
// the Kernels panel, `convlab train`'s kernel line and the next launch's cache see no
// difference. Every one of these steps is a real training step: the candidates compute the same
// function, so no work is thrown away.
//
// Needs timestamp queries; without them the session times the candidates up front (tuneModel).

import type { KernelScope } from '../../backend';
import type { Conv2dGeometry } from '../../conv/geometry';
import type { GemmSpec } from '../../gemm';
import type { StepTrial, StepTuning, StepTuningEvent } from '../../train/stepTuning';
import type { ConvPhase } from '../ops/convAlgorithmsChoice';
import { type ConvVariant, convDecision, convRaceKey, convRaceVariants, convVariantName, prepareConvVariant } from '../ops/convVariants';
import { gemmTiledGpu } from '../ops/gemmTiled';
import type { KernelTiming } from '../profiler';
import type { KernelPicker, WebGpuBackend } from '../webgpuBackend';
import { type GemmConfig, gemmConfigKey } from './gemmConfigs';
import { gemmProblemKey } from './gemmTuning';
import { CandidateRace, DEFAULT_RACE, type RaceOptions } from './race';
import { type StagedCheck, recordConvChecks, recordGemmChecks } from './stepChecks';

export interface StepTunerOptions {
  /** The training batch: only its steps take part (a short last batch is another problem). */
  batch: number;
  race?: RaceOptions;
  /** Race the GEMMs outside convs (linear layers) too. Default: on GPUs only — there a compile
   *  takes milliseconds and small-n GEMM tiles matter; on a software adapter each candidate's
   *  compile costs 100–250 ms of the CPU the steps run on, for layers that take a few percent
   *  of a step (the reference model's linear layer: 6 %). */
  gemms?: boolean;
  onEvent?(event: StepTuningEvent): void;
}

type Subject =
  | { kind: 'conv'; g: Conv2dGeometry; phase: ConvPhase; variants: ConvVariant[] }
  | { kind: 'gemm'; spec: GemmSpec; phase: string; configs: GemmConfig[] };

interface Problem {
  key: string;
  subject: Subject;
  /** The layers that run it ('3.conv2d'), for labels. */
  layers: string[];
  race: CandidateRace;
  /** Candidates whose pipelines are compiled, to be checked with the next step. */
  toCheck: number[];
  /** Candidate 0 runs at once (it is the default); only its check's pipelines are prepared. */
  zeroPrepared: boolean;
  decided: boolean;
}

interface Trial extends StepTrial {
  description: string;
  /** The session's first step: buffers and caches are cold, so its times are not samples. */
  cold: boolean;
  /** The candidate each problem runs in this step, and the layer|phase scopes that ran it. */
  runs: Map<Problem, { candidate: number; scopes: Set<string> }>;
  /** Checks submitted with this step, read once its timings (so its work) are back. */
  checks: Array<{ problem: Problem; candidates: number[]; staged: StagedCheck }>;
}

export class StepTuner implements StepTuning, KernelPicker {
  private readonly problems = new Map<string, Problem | null>();
  private current: Trial | null = null;
  private trials = 0;
  private startedAt: number | null = null;
  private announced = false;
  /** The first step's timings are back: background compiles may start. */
  private firstBack = false;
  /** Compiles and checks not yet finished (the tuner is not done while any is). */
  private working = 0;
  finished = false;

  constructor(private readonly be: WebGpuBackend, private readonly options: StepTunerOptions) {
    be.picker = this;
  }

  /** Problems still being raced ("layer phase"), for tests and logs. */
  get pending(): string[] {
    return [...this.problems.values()].filter((p): p is Problem => p !== null && !p.decided).map(label);
  }

  beginStep(step: number, batch: number): StepTrial | null {
    void step;
    if (this.finished || batch !== this.options.batch) return null;
    this.startedAt ??= performance.now();
    // The checks of every candidate compiled since the last step, recorded ahead of this step
    // (untimed: the trainer starts its timer after this) and submitted with it.
    const checks: Trial['checks'] = [];
    for (const problem of this.problems.values()) {
      if (!problem || problem.toCheck.length === 0) continue;
      const candidates = problem.toCheck.splice(0);
      const s = problem.subject;
      const staged = s.kind === 'conv'
        ? recordConvChecks(this.be, s.g, s.phase, candidates.map((i) => s.variants[i]!))
        : recordGemmChecks(this.be, s.spec, candidates.map((i) => s.configs[i]!));
      checks.push({ problem, candidates, staged });
    }
    this.current = { description: '', cold: this.trials === 0, runs: new Map(), checks };
    this.trials++;
    return this.current;
  }

  conv(g: Conv2dGeometry, phase: ConvPhase, scope: KernelScope | null): ConvVariant | null {
    const trial = this.current;
    if (!trial || !scope) return null;
    const problem = this.problem(convRaceKey(this.be, g, phase), () => {
      const variants = convRaceVariants(this.be, g, phase);
      return variants && variants.length > 1 ? { kind: 'conv', g, phase, variants } : null;
    });
    const i = problem ? this.run(trial, problem, scope) : null;
    return i === null ? null : (problem!.subject as Extract<Subject, { kind: 'conv' }>).variants[i]!;
  }

  gemm(spec: GemmSpec, scope: KernelScope | null): GemmConfig | null {
    const trial = this.current;
    if (!trial || !scope || !(this.options.gemms ?? !this.be.ctx.adapter.isSoftware)) return null;
    const key = gemmProblemKey(spec);
    const problem = this.problem(key, () => {
      const known = this.be.tuner.get(key);
      if (known && known.reason !== 'heuristic') return null;
      const configs = this.be.gemmTuning.candidates(spec);
      return configs.length > 1 ? { kind: 'gemm', spec, phase: scope.phase, configs } : null;
    });
    const i = problem ? this.run(trial, problem, scope) : null;
    return i === null ? null : (problem!.subject as Extract<Subject, { kind: 'gemm' }>).configs[i]!;
  }

  endRecording(): void {
    const trial = this.current;
    if (!trial) return;
    this.current = null;
    // Every problem this step runs, candidate 0 included before its rivals are ready: those
    // steps are samples of the race too (often all that candidate 0 gets), so a note that left
    // them out would show a race of one where the recorded choice has times for two.
    trial.description = [...trial.runs]
      .map(([p, r]) => `${label(p)}: ${p.race.names[r.candidate]}`)
      .join('; ');
    if (!this.announced) {
      this.announced = true;
      const problems = [...this.problems.values()].filter((p): p is Problem => p !== null).map(label);
      if (problems.length > 0) this.options.onEvent?.({ kind: 'start', problems });
    }
    this.maybeFinish();
  }

  observe(trialIn: StepTrial, timings: readonly KernelTiming[] | null): void {
    const trial = trialIn as Trial;
    if (!this.firstBack) {
      this.firstBack = true;
      for (const p of this.problems.values()) if (p) this.advance(p);
    }
    for (const [problem, { candidate, scopes }] of trial.runs) {
      let ms: number | null = null;
      if (!trial.cold && timings) {
        let sum = 0;
        let seen = false;
        for (const t of timings) {
          if (scopes.has(`${t.layer}|${t.phase}`)) {
            sum += t.ms;
            seen = true;
          }
        }
        ms = seen ? sum : null;
      }
      problem.race.record(candidate, ms);
      this.advance(problem);
    }
    // This step's work is done, so are its checks: mapping them waits for nothing.
    for (const { problem, candidates, staged } of trial.checks) {
      this.working++;
      staged.read().then(
        (verdicts) => candidates.forEach((c, k) => (verdicts[k] === null ? problem.race.ready(c) : problem.race.reject(c, verdicts[k]!))),
        (error: unknown) => candidates.forEach((c) => problem.race.reject(c, `not checked: ${message(error)}`)),
      ).finally(() => {
        this.working--;
        this.advance(problem);
        this.maybeFinish();
      });
    }
    this.maybeFinish();
  }

  private problem(key: string, make: () => Subject | null): Problem | null {
    if (this.problems.has(key)) return this.problems.get(key)!;
    const subject = make();
    let problem: Problem | null = null;
    if (subject) {
      const names = subject.kind === 'conv' ? subject.variants.map(convVariantName) : subject.configs.map(gemmConfigKey);
      problem = { key, subject, layers: [], race: new CandidateRace(names, followers(subject), this.options.race ?? DEFAULT_RACE), toCheck: [], zeroPrepared: false, decided: false };
    }
    this.problems.set(key, problem);
    // Candidate 0 compiles with this very step; the others once the first step is back (see
    // observe): compiling them now would slow the first step down, with the same CPU.
    if (problem && this.firstBack) this.advance(problem);
    return problem;
  }

  /** The candidate `problem` runs in this step (one per problem and step, whichever layers run it). */
  private run(trial: Trial, problem: Problem, scope: KernelScope): number | null {
    if (problem.decided) return null;
    if (!problem.layers.includes(scope.layer)) problem.layers.push(scope.layer);
    let r = trial.runs.get(problem);
    if (!r) {
      const candidate = problem.race.next();
      if (candidate === null) return null;
      r = { candidate, scopes: new Set() };
      trial.runs.set(problem, r);
    }
    r.scopes.add(`${scope.layer}|${scope.phase}`);
    return r.candidate;
  }

  /** Start compiling the candidates the race now wants, and decide it once it is over. */
  private advance(p: Problem): void {
    const wanted = p.race.toPrepare();
    if (!p.zeroPrepared) {
      p.zeroPrepared = true;
      wanted.unshift(0);
    }
    for (const i of wanted) {
      this.working++;
      const s = p.subject;
      this.be.ctx.preparePipelines(() => {
        if (s.kind === 'conv') prepareConvVariant(this.be, s.g, s.phase, s.variants[i]!);
        else gemmTiledGpu(this.be.ctx, s.spec, s.configs[i]!, placeholderOf(this.be), placeholderOf(this.be), placeholderOf(this.be));
      }).then(
        () => p.toCheck.push(i),
        (error: unknown) => p.race.reject(i, `does not compile: ${message(error)}`),
      ).finally(() => {
        this.working--;
        this.advance(p);
        this.maybeFinish();
      });
    }
    if (p.decided || !p.race.decided) return;
    p.decided = true;
    const winner = p.race.leader();
    if (winner === null) return; // nothing may run: the default keeps running, untuned
    const timings = p.race.timings();
    const s = p.subject;
    const entries = s.kind === 'conv'
      ? convDecision(this.be, s.g, s.phase, s.variants, timings, winner)
      : [{ key: p.key, phase: s.phase, choice: gemmConfigKey(s.configs[winner]!), candidates: timings }];
    for (const e of entries) this.be.tuner.record(e.key, e.phase, e.choice, e.candidates);
    this.options.onEvent?.({ kind: 'decided', problem: label(p), choice: p.race.names[winner]!, candidates: timings, steps: this.trials });
  }

  private maybeFinish(): void {
    if (this.finished || this.trials === 0 || this.current || this.working > 0) return;
    if ([...this.problems.values()].some((p) => p !== null && !p.decided)) return;
    this.finished = true;
    if (this.be.picker === this) this.be.picker = null;
    const seconds = this.startedAt === null ? 0 : (performance.now() - this.startedAt) / 1000;
    // Stored now, so a run stopped right after still leaves its choices for the next launch.
    this.be.saveTuning().catch(() => undefined);
    this.options.onEvent?.({ kind: 'done', steps: this.trials, seconds });
  }
}

/** im2col's GEMM tiles past the first wait for it: if im2col is far behind with one tile, its
 *  others are never compiled. */
function followers(s: Subject): Array<number | null> {
  if (s.kind === 'gemm') return s.configs.map(() => null);
  const first = s.variants.findIndex((v) => v.algo === 'im2col');
  return s.variants.map((v, i) => (v.algo === 'im2col' && i !== first ? first : null));
}

/** A tensor for preparePipelines: it only needs a length. */
function placeholderOf(be: WebGpuBackend) {
  return be.ctx.alloc(1, 'placeholder');
}

function label(p: Problem): string {
  return `${p.layers.join(',') || '?'} ${p.subject.phase}`;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
