// The implicit conv kernels' register-tile widths, measured per adapter and layer like the
// algorithms themselves: pixels per lane for the forward and grad-input, output channels per
// lane for grad-weight. Wider tiles feed more multiply-adds per load (what a software adapter
// needs, where every load is a per-lane gather); narrower ones give a GPU more workgroups.

import type { Conv2dGeometry } from '../../conv/geometry';
import type { Autotuner } from '../autotune/autotuner';
import type { GpuContext } from '../context';
import { type ConvTile, defaultConvTile } from './convAlgorithms';
import { type ConvPhase, convProblemKey } from './convAlgorithmsChoice';

export const convTileKey = (g: Conv2dGeometry, phase: ConvPhase): string => `tile:${convProblemKey(g, phase)}`;

const TILES: Record<string, ConvTile> = {
  px1: { pixelsPerLane: 1 }, px2: { pixelsPerLane: 2 }, px4: { pixelsPerLane: 4 },
  oc8: { gradWeightOc4: 2 }, oc16: { gradWeightOc4: 4 },
};
const tileNames = (phase: ConvPhase): string[] => (phase === 'grad-weight' ? ['oc8', 'oc16'] : ['px1', 'px2', 'px4']);

/** The tiles worth timing for a phase, by name; the untuned default first (ties keep it). */
export function convTileCandidates(ctx: GpuContext, phase: ConvPhase): Array<[string, ConvTile]> {
  const fallback = defaultConvTile(ctx);
  const isDefault = (t: ConvTile): boolean => (phase === 'grad-weight' ? t.gradWeightOc4 === fallback.gradWeightOc4 : t.pixelsPerLane === fallback.pixelsPerLane);
  const all = tileNames(phase).map((name): [string, ConvTile] => [name, TILES[name]!]);
  return [...all.filter(([, t]) => isDefault(t)), ...all.filter(([, t]) => !isDefault(t))];
}

/** The measured (or stored) tile for this layer and phase, else the default. Runs for every
 *  conv op recorded, so it is a map lookup. */
export function chosenConvTile(ctx: GpuContext, tuner: Autotuner, g: Conv2dGeometry, phase: ConvPhase): ConvTile {
  const known = tuner.get(convTileKey(g, phase));
  const usable = known && known.reason !== 'heuristic' && tileNames(phase).includes(known.choice);
  return usable ? TILES[known.choice]! : defaultConvTile(ctx);
}
