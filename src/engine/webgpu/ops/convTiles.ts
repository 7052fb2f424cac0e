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

/** The tiles worth timing for a phase, by name; the untuned default first (ties keep it). */
export function convTileCandidates(ctx: GpuContext, phase: ConvPhase): Array<[string, ConvTile]> {
  const all: Array<[string, ConvTile]> = phase === 'grad-weight'
    ? [['oc8', { gradWeightOc4: 2 }], ['oc16', { gradWeightOc4: 4 }]]
    : [['px1', { pixelsPerLane: 1 }], ['px2', { pixelsPerLane: 2 }], ['px4', { pixelsPerLane: 4 }]];
  const fallback = convTileName(defaultConvTile(ctx), phase);
  return [...all.filter(([name]) => name === fallback), ...all.filter(([name]) => name !== fallback)];
}

function convTileName(tile: ConvTile, phase: ConvPhase): string {
  return phase === 'grad-weight' ? `oc${4 * (tile.gradWeightOc4 ?? 2)}` : `px${tile.pixelsPerLane ?? 0}`;
}

/** The measured (or stored) tile for this layer and phase, else the default. */
export function chosenConvTile(ctx: GpuContext, tuner: Autotuner, g: Conv2dGeometry, phase: ConvPhase): ConvTile {
  const known = tuner.get(convTileKey(g, phase));
  const found = known && known.reason !== 'heuristic' ? convTileCandidates(ctx, phase).find(([name]) => name === known.choice) : undefined;
  return found ? found[1] : defaultConvTile(ctx);
}
