// Which conv algorithm each layer and phase runs: the one the user forced (--conv-algo), else the
// autotuner's measured or stored choice for this adapter, else a heuristic. Like cuDNN's
// benchmark mode, the choice is per problem (geometry + phase) and per adapter, because software
// adapters and GPUs rank the algorithms differently.

import type { ConvAlgorithm } from '../../backend';
import type { Conv2dGeometry } from '../../conv/geometry';
import type { Autotuner, TuneChoice } from '../autotune/autotuner';

export type ConvPhase = 'forward' | 'grad-input' | 'grad-weight';
export type ConvAlgorithmName = Exclude<ConvAlgorithm, 'auto'>;
export const CONV_PHASES: readonly ConvPhase[] = ['forward', 'grad-input', 'grad-weight'];
export const CONV_ALGORITHMS: readonly ConvAlgorithmName[] = ['im2col', 'implicit', 'direct'];

/** Bump when a conv kernel changes enough that stored timings no longer rank the algorithms
 *  (2: implicit kernels run pixel blocks across samples, wider tiles on software adapters;
 *  3: those tile widths are measured too), so an autotune cache from an older build is measured
 *  again instead of trusted. */
const CONV_KERNELS_REVISION = 3;

/** Everything that changes the work: the batch too, since grad-weight splits over it. */
export function convProblemKey(g: Conv2dGeometry, phase: ConvPhase): string {
  return `conv:${phase}:r${CONV_KERNELS_REVISION}:n${g.batch}:c${g.inChannels}x${g.inHeight}x${g.inWidth}:o${g.outChannels}:k${g.kernelH}x${g.kernelW}`
    + `:s${g.strideH}x${g.strideW}:p${g.padTop},${g.padLeft},${g.padBottom},${g.padRight}:d${g.dilationH}x${g.dilationW}:g${g.groups}`;
}

/** The direct (weight-stationary) kernel exists for the forward only: grad-weight's implicit
 *  kernel already keeps its tile in registers, and grad-input has no direct kernel yet. */
export function directApplies(g: Conv2dGeometry, phase: ConvPhase): boolean {
  void g;
  return phase === 'forward';
}

export function convCandidates(g: Conv2dGeometry, phase: ConvPhase): ConvAlgorithmName[] {
  return CONV_ALGORITHMS.filter((a) => a !== 'direct' || directApplies(g, phase));
}

/** Without measurements. On a software adapter the implicit kernels win: they never write the
 *  column matrix, and memory traffic is what a CPU pays for. On a GPU the tuned GEMM of the
 *  im2col path won almost every phase we measured (NVIDIA H200, docs/performance.md), so it is
 *  the default there until this adapter's own timings say otherwise. */
export function heuristicConvAlgorithm(g: Conv2dGeometry, phase: ConvPhase, softwareAdapter = true): ConvAlgorithmName {
  if (!softwareAdapter) return 'im2col';
  // Direct wins where one filter tile covers the whole reduction (few input channels).
  const single = (g.inChannels / g.groups) * g.kernelH * g.kernelW <= 9;
  return directApplies(g, phase) && single ? 'direct' : 'implicit';
}

export class ConvAlgorithmChooser {
  constructor(private readonly tuner: Autotuner, readonly requested: ConvAlgorithm = 'auto', private readonly softwareAdapter = true) {}

  /** The algorithm to record now. A forced one that does not apply to this layer (direct on a
   *  wide layer) falls back to implicit, and describe() says so. */
  algorithm(g: Conv2dGeometry, phase: ConvPhase): ConvAlgorithmName {
    const key = convProblemKey(g, phase);
    if (this.requested !== 'auto') {
      const algo = this.requested === 'direct' && !directApplies(g, phase) ? 'implicit' : this.requested;
      this.tuner.noteHeuristic(key, phase, algo === this.requested ? `${algo} (forced)` : `${algo} (forced direct does not apply)`);
      return algo;
    }
    const known = this.tuner.get(key);
    if (known && known.reason !== 'heuristic' && (CONV_ALGORITHMS as readonly string[]).includes(known.choice)) {
      return known.choice as ConvAlgorithmName;
    }
    const h = heuristicConvAlgorithm(g, phase, this.softwareAdapter);
    this.tuner.noteHeuristic(key, phase, h);
    return h;
  }

  /** Time every applicable algorithm for this problem (once per adapter, then cached).
   *  `measure` checks the algorithm against a reference before timing it and throws if wrong. */
  async tune(g: Conv2dGeometry, phase: ConvPhase, measure: (algo: ConvAlgorithmName) => Promise<number>): Promise<ConvAlgorithmName> {
    if (this.requested !== 'auto') return this.algorithm(g, phase);
    const choice = await this.tuner.tune(convProblemKey(g, phase), phase, convCandidates(g, phase), (name) => measure(name as ConvAlgorithmName));
    return choice as ConvAlgorithmName;
  }

  /** Whether this problem still needs timing. */
  needsTuning(g: Conv2dGeometry, phase: ConvPhase): boolean {
    if (this.requested !== 'auto') return false;
    const known = this.tuner.get(convProblemKey(g, phase));
    return !known || known.reason === 'heuristic';
  }
}

/** One line for logs: each conv problem's algorithm, why, and what the candidates took, with
 *  the implicit kernels' tile width where one was measured (keys `tile:conv:…`). */
export function describeConvChoices(be: { describeChoices(): TuneChoice[] }): string {
  const all = be.describeChoices();
  const tiles = new Map(all.filter((c) => c.key.startsWith('tile:')).map((c) => [c.key.slice('tile:'.length), c.choice]));
  // A cache written by older kernels keeps its entries (other revisions): not this build's choices.
  return all
    .filter((c) => c.key.startsWith('conv:') && c.key.includes(`:r${CONV_KERNELS_REVISION}:`))
    .map((c) => {
      const shape = /:c([\dx]+):o(\d+)/.exec(c.key);
      const times = c.candidates.map((t) => `${t.name} ${t.ms === null ? 'rejected' : `${t.ms.toFixed(1)} ms`}`).join(', ');
      const tile = tiles.get(c.key);
      return `${shape ? `${shape[1]}→${shape[2]}` : c.key} ${c.phase}: ${c.choice}${tile ? ` ${tile}` : ''} (${c.reason}${times ? `: ${times}` : ''})`;
    })
    .join('; ');
}
