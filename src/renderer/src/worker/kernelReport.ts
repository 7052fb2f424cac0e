// Which kernel each conv layer of the training step runs, and why, for the Train view's Kernels
// panel. The backend's autotuner knows problems by key (engine/webgpu/autotune); this module
// matches them to the model's layers by recomputing each layer's keys with the engine's own key
// functions, so no key format is parsed here and two layers of one shape simply share a choice.

import type { ConvAlgorithm } from '../../../engine/backend';
import { forwardGemm, gradInputGemm, gradWeightGemm } from '../../../engine/conv/gemmPlan';
import type { Conv2dGeometry } from '../../../engine/conv/geometry';
import type { GemmSpec } from '../../../engine/gemm';
import { type Layer, layerName } from '../../../engine/nn/layer';
import type { Conv2dLayer } from '../../../engine/nn/conv2d';
import { modulesOf } from '../../../engine/nn/layerList';
import type { TuneChoice } from '../../../engine/webgpu/autotune/autotuner';
import { gemmProblemKey } from '../../../engine/webgpu/autotune/gemmTuning';
import { CONV_PHASES, type ConvPhase, convProblemKey } from '../../../engine/webgpu/ops/convAlgorithmsChoice';
import { convTileKey } from '../../../engine/webgpu/ops/convTiles';
import type { KernelReport, KernelRow } from './protocol';

export interface ConvLayerProblem {
  layer: string;
  geometry: Conv2dGeometry;
  /** The model's first layer reads the images, whose gradient nobody needs: no grad-input runs. */
  readsImages: boolean;
}

/** The GEMM the im2col path runs per phase: the same specs the backend tunes (tuneConv). */
const GEMM_OF: Record<ConvPhase, (g: Conv2dGeometry) => GemmSpec> = {
  forward: forwardGemm,
  'grad-input': gradInputGemm,
  'grad-weight': (g) => gradWeightGemm(g, false),
};


/** Each conv layer with its geometry for a batch of `input` ([N, C, H, W]), walking the shapes
 *  as tuneModel does. */
export function convLayersOf(layers: readonly Layer<unknown>[], input: readonly number[]): ConvLayerProblem[] {
  // Every conv of the tree, residual blocks included, at the input shape it receives.
  return modulesOf(layers, input)
    .filter(({ layer }) => layer.type === 'conv2d')
    .map(({ layer, input: shape, readsModelInput }) => ({ layer: layerName(layer), geometry: (layer as Conv2dLayer<unknown>).geometry(shape), readsImages: readsModelInput }));
}

/** A copy with exactly the fields the protocol carries (a cached entry may hold more). */
function plain(c: TuneChoice): TuneChoice {
  return {
    key: c.key,
    phase: c.phase,
    choice: c.choice,
    reason: c.reason,
    candidates: c.candidates.map((t) => ({ name: t.name, ms: typeof t.ms === 'number' ? t.ms : null, ...(t.rejected !== undefined ? { rejected: t.rejected } : {}) })),
  };
}

export function buildKernelReport(
  choices: readonly TuneChoice[],
  layers: readonly ConvLayerProblem[],
  requested: ConvAlgorithm,
  batch: number,
  saveError?: string | null,
): KernelReport {
  const byKey = new Map(choices.map((c) => [c.key, c]));
  const used = new Set<string>();
  const take = (key: string): TuneChoice | null => {
    const c = byKey.get(key);
    if (!c) return null;
    used.add(key);
    return plain(c);
  };
  const rows: KernelRow[] = layers.flatMap(({ layer, geometry: g, readsImages }) =>
    CONV_PHASES.map((phase) => ({
      layer,
      phase,
      runs: !(readsImages && phase === 'grad-input'),
      algorithm: take(convProblemKey(g, phase)),
      tile: take(convTileKey(g, phase)),
      gemm: take(gemmProblemKey(GEMM_OF[phase](g))),
    })),
  );
  // The store holds every shape ever tuned on this adapter (other models, older kernel revisions):
  // a cached entry no row uses is the store's content, not a choice this run made.
  const others = choices.filter((c) => !used.has(c.key) && c.reason !== 'cached').map(plain);
  return { requested, batch, rows, others, ...(saveError ? { saveError } : {}) };
}

/**
 * Posts the report whenever the backend's choices change: after tuning, as the run meets new
 * problems (a short last batch, the validation batches), and as tuning on the training steps
 * turns a heuristic choice into a measured one (same keys, so a count would not see it).
 */
export class KernelReporter {
  private posted: string | null = null;

  constructor(
    private readonly be: { describeChoices(): TuneChoice[] },
    private readonly layers: readonly ConvLayerProblem[],
    private readonly requested: ConvAlgorithm,
    private readonly batch: number,
    private readonly post: (report: KernelReport) => void,
    private readonly saveError: () => string | null = () => null,
  ) {}

  update(): void {
    const choices = this.be.describeChoices();
    const signature = choices.map((c) => `${c.key}=${c.reason}:${c.choice}`).join('\n');
    if (signature === this.posted) return;
    this.posted = signature;
    this.post(buildKernelReport(choices, this.layers, this.requested, this.batch, this.saveError()));
  }
}
