// One conv phase as a concrete kernel choice — an algorithm, and the knob it has (the implicit
// kernels' tile width, the im2col path's GEMM tile) — so that the backend's normal path, the step
// tuner's races and their correctness checks all record a phase the same way. The autotuner's
// store keeps the three knobs under separate keys (conv:…, tile:conv:…, gemm:…); a variant is
// what one step runs, and convDecision() turns a race over variants back into those entries.

import { explicitConvBackwardInput, explicitConvBackwardWeight, explicitConvForward } from '../../conv/explicitConv';
import { type Conv2dGeometry } from '../../conv/geometry';
import { forwardGemm, gradInputGemm, gradWeightGemm } from '../../conv/gemmPlan';
import type { GemmSpec } from '../../gemm';
import type { CandidateTiming, TuneChoice } from '../autotune/autotuner';
import { type GemmConfig, gemmConfigKey } from '../autotune/gemmConfigs';
import { gemmProblemKey } from '../autotune/gemmTuning';
import type { GpuTensor } from '../gpuTensor';
import type { WebGpuBackend } from '../webgpuBackend';
import { type ConvTile, convBackwardInputWith, convBackwardWeightWith, convForwardWith } from './convAlgorithms';
import { type ConvAlgorithmName, type ConvPhase, convProblemKey, directApplies } from './convAlgorithmsChoice';
import { chosenConvTile, convTileCandidates, convTileKey } from './convTiles';

/** `gemm` null: the GEMM config the tuner holds for the shape. */
export type ConvVariant =
  | { algo: 'im2col'; gemm: GemmConfig | null }
  | { algo: 'implicit'; tile: ConvTile; tileName: string }
  | { algo: 'direct' };

export type ConvPhaseIo =
  | { phase: 'forward'; input: GpuTensor; weight: GpuTensor; bias: GpuTensor | null; output: GpuTensor }
  | { phase: 'grad-input'; dOut: GpuTensor; weight: GpuTensor; dInput: GpuTensor }
  | { phase: 'grad-weight'; input: GpuTensor; dOut: GpuTensor; dWeight: GpuTensor; accumulate: boolean };

export function convVariantName(v: ConvVariant): string {
  if (v.algo === 'implicit') return `implicit ${v.tileName}`;
  if (v.algo === 'direct') return 'direct';
  return v.gemm === null ? 'im2col' : `im2col ${gemmConfigKey(v.gemm)}`;
}

/** The GEMM the im2col path runs for a phase (the one its gemm: key is about). */
export const convPhaseGemm = (g: Conv2dGeometry, phase: ConvPhase): GemmSpec =>
  phase === 'forward' ? forwardGemm(g) : phase === 'grad-input' ? gradInputGemm(g) : gradWeightGemm(g, false);

/** Record one phase with exactly this variant. */
export function recordConvVariant(be: WebGpuBackend, g: Conv2dGeometry, v: ConvVariant, io: ConvPhaseIo): void {
  if (v.algo === 'im2col') {
    be.withConvGemm(v.gemm, () => {
      if (io.phase === 'forward') explicitConvForward(be, g, io.input, io.weight, io.bias, io.output);
      else if (io.phase === 'grad-input') explicitConvBackwardInput(be, g, io.dOut, io.weight, io.dInput);
      else explicitConvBackwardWeight(be, g, io.input, io.dOut, io.dWeight, io.accumulate);
    });
    return;
  }
  const tile = v.algo === 'implicit' ? v.tile : undefined;
  if (io.phase === 'forward') convForwardWith(be.ctx, v.algo, g, io.input, io.weight, io.bias, io.output, tile);
  else if (io.phase === 'grad-input') convBackwardInputWith(be.ctx, v.algo, g, io.dOut, io.weight, io.dInput, tile);
  else convBackwardWeightWith(be.ctx, v.algo, g, io.input, io.dOut, io.dWeight, io.accumulate, tile);
}

/** For GpuContext.preparePipelines: record the variant at this geometry and at the checks'
 *  batch of 2, on placeholder tensors, so that every pipeline they use is compiled before the
 *  variant first runs. */
export function prepareConvVariant(be: WebGpuBackend, g: Conv2dGeometry, phase: ConvPhase, v: ConvVariant): void {
  const t = (): GpuTensor => be.ctx.alloc(1, 'placeholder');
  const io = (): ConvPhaseIo =>
    phase === 'forward' ? { phase, input: t(), weight: t(), bias: t(), output: t() }
      : phase === 'grad-input' ? { phase, dOut: t(), weight: t(), dInput: t() }
        : { phase, input: t(), dOut: t(), dWeight: t(), accumulate: false };
  const gemm = v.algo === 'im2col' && v.gemm === null ? be.gemmTuning.config(convPhaseGemm(g, phase), phase) : null;
  const concrete: ConvVariant = gemm ? { algo: 'im2col', gemm } : v;
  const small = { ...g, batch: Math.min(g.batch, 2) };
  recordConvVariant(be, g, concrete, io());
  recordConvVariant(be, small, concrete, io());
}

/** What the backend records for an algorithm when nothing overrides it: the tuned (or default)
 *  tile, the tuned (or heuristic) GEMM. */
export function defaultConvVariant(be: WebGpuBackend, g: Conv2dGeometry, phase: ConvPhase, algo: ConvAlgorithmName): ConvVariant {
  if (algo === 'im2col') return { algo, gemm: null };
  if (algo === 'direct' && directApplies(g, phase)) return { algo };
  const tile = chosenConvTile(be.ctx, be.tuner, g, phase);
  return { algo: 'implicit', tile, tileName: tileName(tile, phase) };
}

const tileName = (t: ConvTile, phase: ConvPhase): string =>
  phase === 'grad-weight' ? `oc${4 * (t.gradWeightOc4 ?? 2)}` : `px${t.pixelsPerLane ?? 4}`;

/** Tiles that give this layer different kernels: 16 output channels per lane is 8 on a layer
 *  of 8 channels (the plan clamps it), so only the first of such twins is raced. */
function distinctTiles(g: Conv2dGeometry, phase: ConvPhase, tiles: Array<[string, ConvTile]>): Array<[string, ConvTile]> {
  if (phase !== 'grad-weight') return tiles;
  const vec4s = Math.max(1, Math.ceil(g.outChannels / g.groups / 4));
  const seen = new Set<number>();
  return tiles.filter(([, t]) => {
    const oc4 = Math.min(t.gradWeightOc4 ?? 2, vec4s);
    if (seen.has(oc4)) return false;
    seen.add(oc4);
    return true;
  });
}

const known = (c: TuneChoice | undefined): boolean => c !== undefined && c.reason !== 'heuristic';

/** The variants worth racing for one problem, what runs untuned first (it may run before the
 *  others are checked). Null when nothing is to be measured: a forced algorithm other than
 *  im2col (it runs as asked), or a problem whose choice is already known. Under a forced im2col
 *  only the GEMM tile is raced, as tuneConv() does. */
export function convRaceVariants(be: WebGpuBackend, g: Conv2dGeometry, phase: ConvPhase): ConvVariant[] | null {
  const requested = be.convChooser.requested;
  const spec = convPhaseGemm(g, phase);
  const gemmKnown = known(be.tuner.get(gemmProblemKey(spec)));
  const im2col: ConvVariant[] = gemmKnown ? [{ algo: 'im2col', gemm: null }] : be.gemmTuning.candidates(spec).map((c) => ({ algo: 'im2col', gemm: c }));
  if (requested !== 'auto') return requested === 'im2col' && !gemmKnown && im2col.length > 1 ? im2col : null;
  if (!be.convChooser.needsTuning(g, phase)) return null;
  const implicit: ConvVariant[] = known(be.tuner.get(convTileKey(g, phase)))
    ? [defaultConvVariant(be, g, phase, 'implicit')]
    : distinctTiles(g, phase, convTileCandidates(be.ctx, phase)).map(([name, tile]) => ({ algo: 'implicit', tile, tileName: name }));
  const direct: ConvVariant[] = directApplies(g, phase) ? [{ algo: 'direct' }] : [];
  // What the backend would record untuned goes first, so the race starts from it.
  const first = defaultConvVariant(be, g, phase, be.convChooser.algorithm(g, phase));
  const firstName = convVariantName(first.algo === 'im2col' && !gemmKnown ? { algo: 'im2col', gemm: be.gemmTuning.config(spec, phase) } : first);
  const all = [...implicit, ...direct, ...im2col];
  const head = all.find((v) => convVariantName(v) === firstName) ?? first;
  return [head, ...all.filter((v) => v !== head)];
}

/** The race key: the conv problem under 'auto', the GEMM shape under a forced im2col. */
export function convRaceKey(be: WebGpuBackend, g: Conv2dGeometry, phase: ConvPhase): string {
  return be.convChooser.requested === 'auto' ? convProblemKey(g, phase) : gemmProblemKey(convPhaseGemm(g, phase));
}

/** Autotuner entries from a decided race: the algorithm (under 'auto'), the implicit tile and
 *  the im2col GEMM tile, each with the medians its candidates measured, as tuneConv() records
 *  them. A knob none of whose candidates ran is left alone; one that only one candidate
 *  reached (an im2col whose first tile was far behind) records that one. */
export function convDecision(
  be: WebGpuBackend, g: Conv2dGeometry, phase: ConvPhase, variants: readonly ConvVariant[], timings: readonly CandidateTiming[], winner: number,
): Array<{ key: string; phase: string; choice: string; candidates: CandidateTiming[] }> {
  const out: Array<{ key: string; phase: string; choice: string; candidates: CandidateTiming[] }> = [];
  // The winner's own knob where it has one (a candidate dropped early may show a lower median
  // from a single sample), else the fastest candidate of that knob.
  const pick = (names: Array<[string, CandidateTiming]>, winnerName?: string): { choice: string; candidates: CandidateTiming[] } | null => {
    // Candidates that never ran because the one they follow was far behind say nothing here.
    const candidates = names.map(([name, t]) => ({ ...t, name })).filter((c) => c.ms !== null || !c.rejected?.startsWith('not run'));
    let best: CandidateTiming | null = null;
    for (const c of candidates) if (c.ms !== null && (best === null || c.ms < best.ms!)) best = c;
    return best ? { choice: winnerName ?? best.name, candidates } : null;
  };
  const won = variants[winner]!;
  const of = (algo: ConvVariant['algo']): Array<[ConvVariant, CandidateTiming]> =>
    variants.map((v, i): [ConvVariant, CandidateTiming] => [v, timings[i]!]).filter(([v]) => v.algo === algo);
  if (be.convChooser.requested === 'auto') {
    // One candidate per algorithm: its best variant.
    const perAlgo = (['im2col', 'implicit', 'direct'] as const).flatMap((algo): Array<[string, CandidateTiming]> => {
      const runs = of(algo);
      if (runs.length === 0) return [];
      const timed = runs.filter(([, t]) => t.ms !== null).sort((a, b) => a[1].ms! - b[1].ms!);
      return [[algo, timed[0]?.[1] ?? { name: algo, ms: null, rejected: runs[0]![1].rejected ?? 'not run' }]];
    });
    const algo = pick(perAlgo);
    if (algo) out.push({ key: convProblemKey(g, phase), phase, choice: won.algo, candidates: algo.candidates });
    const tiles = of('implicit');
    const tile = timedCount(tiles) > 0 ? pick(tiles.map(([v, t]) => [(v as { tileName: string }).tileName, t]), won.algo === 'implicit' ? won.tileName : undefined) : null;
    if (tile) out.push({ key: convTileKey(g, phase), phase: `${phase} tile`, ...tile });
  }
  const gemms = of('im2col').filter(([v]) => v.algo === 'im2col' && v.gemm !== null);
  const wonGemm = won.algo === 'im2col' && won.gemm !== null ? gemmConfigKey(won.gemm) : undefined;
  const gemm = timedCount(gemms) > 0 ? pick(gemms.map(([v, t]) => [gemmConfigKey((v as { gemm: GemmConfig }).gemm), t]), wonGemm) : null;
  if (gemm) out.push({ key: gemmProblemKey(convPhaseGemm(g, phase)), phase, ...gemm });
  return out;
}

const timedCount = (runs: ReadonlyArray<[unknown, CandidateTiming]>): number => runs.filter(([, t]) => t.ms !== null).length;
