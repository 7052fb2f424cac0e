// Tiling of the weight-stationary ("direct") conv kernels (kernels/conv_direct_*.wgsl): each lane
// holds a 4·oc4 × tk tile of the filters in registers and walks pixels. Pure logic, checked on
// the CPU tier.

import { type Conv2dGeometry, columnRowsPerGroup } from './geometry';

export interface DirectForwardPlan {
  oc4: 1 | 2;
  /** Columns per k tile: a divisor of Cg·kh·kw, so no tile has padding columns. */
  tk: number;
  oTiles: number;
  samplesPerSlice: number;
  workgroups: [number, number, number];
}

/** The largest divisor of n that is at most 9 (the kernel's register budget). */
export function columnTile(n: number): number {
  for (let t = Math.min(9, n); t > 1; t--) if (n % t === 0) return t;
  return 1;
}

/** `targetWorkgroups`: the parallelism wanted; samples are split into slices to reach it. */
export function directForwardPlan(g: Conv2dGeometry, targetWorkgroups = 64): DirectForwardPlan {
  const og = g.outChannels / g.groups;
  const oc4: 1 | 2 = og > 4 ? 2 : 1;
  const oTiles = Math.ceil(og / (4 * oc4));
  const slices = Math.max(1, Math.min(g.batch, Math.ceil(targetWorkgroups / (g.groups * oTiles))));
  const samplesPerSlice = Math.ceil(g.batch / slices);
  return {
    oc4, tk: columnTile(columnRowsPerGroup(g)), oTiles, samplesPerSlice,
    workgroups: [Math.ceil(g.batch / samplesPerSlice), g.groups * oTiles, 1],
  };
}
