// Tile configurations of the register-blocked GEMM (kernels/gemm_tiled.wgsl) and the plain
// heuristic that picks one when nothing has been measured yet. Pure logic: no device here, so
// the CPU test tier checks it.
//
// A config is the workgroup shape (wgX × wgY invocations), the rows (tm) and columns (tn) per
// invocation and how many slices the reduction is split into (splits). The workgroup tile is
// (tm·wgY) rows × (tn·wgX) columns. On a software adapter every per-invocation load is an
// emulated gather, so bigger tm·tn (more multiply-adds per load) wins there; on GPUs occupancy
// limits it: that is what the autotuner measures.

import { type GemmSpec, gemmBatchCount } from '../../gemm';

export interface GemmConfig {
  wgX: number;
  wgY: number;
  tm: 1 | 2 | 4 | 8;
  /** Columns per invocation: one or two vec4 registers per row. */
  tn: 4 | 8;
  /** Slices of the reduction (1 = no split-K). */
  splits: number;
}

/** How a split is laid over the reduction, as the kernel's uniforms want it. */
export interface SplitPlan {
  splits: number;
  splitOnR: boolean;
  rPerSplit: number;
  kPerSplit: number;
}

export const WORKGROUP_SHAPES: ReadonlyArray<readonly [number, number]> = [[16, 4], [8, 8], [32, 2], [64, 1]];
export const ROWS_PER_INVOCATION: ReadonlyArray<GemmConfig['tm']> = [1, 2, 4, 8];

/** Below this many reduction steps per slice, a split costs more (partials, a second pass)
 *  than the parallelism it buys. */
const MIN_SLICE = 64;

export const gemmConfigKey = (c: GemmConfig): string => `wg${c.wgX}x${c.wgY}.tm${c.tm}.tn${c.tn}.s${c.splits}`;

/** Workgroups of the main pass, split slices included. */
export function gemmWorkgroups(s: GemmSpec, c: GemmConfig): [number, number, number] {
  return [Math.ceil(s.n / (c.tn * c.wgX)), Math.ceil(s.m / (c.tm * c.wgY)), gemmBatchCount(s) * splitPlan(s, c.splits).splits];
}

/** Spread `wanted` slices over the reduced batch when there is one (grad-weight sums over
 *  samples), else over k; the slice count actually used never leaves a slice empty. */
export function splitPlan(s: GemmSpec, wanted: number): SplitPlan {
  const rc = s.reduce.count;
  if (wanted <= 1 || rc * s.k === 0) return { splits: 1, splitOnR: false, rPerSplit: rc, kPerSplit: s.k };
  if (rc > 1) {
    const rPerSplit = Math.ceil(rc / Math.min(wanted, rc));
    return { splits: Math.ceil(rc / rPerSplit), splitOnR: true, rPerSplit, kPerSplit: s.k };
  }
  const kPerSplit = Math.ceil(s.k / Math.min(wanted, s.k));
  return { splits: Math.ceil(s.k / kPerSplit), splitOnR: false, rPerSplit: rc, kPerSplit };
}

/** The largest useful slice count: each slice keeps at least MIN_SLICE multiply-adds per output. */
export function maxSplits(s: GemmSpec): number {
  return Math.max(1, Math.floor((s.k * s.reduce.count) / MIN_SLICE));
}

/** A reasonable config without measuring: big tiles for big outputs, small ones (and split-K)
 *  when the output alone cannot keep `parallelism` workgroups busy. */
export function heuristicGemmConfig(s: GemmSpec, parallelism = 64): GemmConfig {
  const tm: GemmConfig['tm'] = s.m >= 64 ? 8 : s.m >= 16 ? 4 : s.m >= 4 ? 2 : 1;
  // Narrow outputs waste columns in a 64-wide tile; tall thin ones want more rows per group.
  const [wgX, wgY] = s.n <= 16 ? [4, 16] : s.n <= 48 ? [8, 8] : [16, 4];
  const tn: GemmConfig['tn'] = s.n >= 64 ? 8 : 4;
  const base: GemmConfig = { wgX, wgY, tm, tn, splits: 1 };
  const [x, y, z] = gemmWorkgroups(s, base);
  const tiles = x * y * z;
  if (tiles >= parallelism) return base;
  const splits = Math.min(maxSplits(s), Math.ceil(parallelism / tiles));
  return { ...base, splits: splitPlan(s, splits).splits };
}

/** Candidates worth timing for one spec: every workgroup shape × rows/columns per invocation
 *  that fits the output, each without and (where the reduction is long) with split-K; the
 *  heuristic's pick first. `limit` keeps the first ones after ranking by multiply-adds per
 *  load (what decides speed on software adapters, and a fair first guess on GPUs): timing
 *  every config of a batch-64 layer on a CPU adapter would take minutes. */
export function gemmCandidates(s: GemmSpec, parallelism = 64, limit = Infinity): GemmConfig[] {
  const all = allGemmCandidates(s, parallelism);
  if (all.length <= limit) return all;
  const [first, ...rest] = all;
  const reuse = (c: GemmConfig): number => (Math.min(c.tm * c.wgY, s.m) * Math.min(c.tn * c.wgX, s.n)) / (c.tm + c.tn);
  rest.sort((a, b) => reuse(b) - reuse(a));
  return [first!, ...rest.slice(0, Math.max(0, limit - 1))];
}

function allGemmCandidates(s: GemmSpec, parallelism: number): GemmConfig[] {
  const out: GemmConfig[] = [];
  const seen = new Set<string>();
  const add = (c: GemmConfig): void => {
    const key = gemmConfigKey(c);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(c);
    }
  };
  add(heuristicGemmConfig(s, parallelism));
  const shapes: Array<readonly [number, number]> = [...WORKGROUP_SHAPES, [4, 16]];
  for (const [wgX, wgY] of shapes) {
    for (const tn of [4, 8] as const) {
      if (tn * wgX > Math.max(16, 2 * s.n)) continue; // mostly idle columns
      for (const tm of ROWS_PER_INVOCATION) {
        if (tm * wgY > Math.max(16, 2 * s.m)) continue;
        const base: GemmConfig = { wgX, wgY, tm, tn, splits: 1 };
        add(base);
        const [x, y, z] = gemmWorkgroups(s, base);
        const wanted = Math.min(maxSplits(s), Math.ceil(parallelism / (x * y * z)));
        if (wanted > 1) add({ ...base, splits: splitPlan(s, wanted).splits });
      }
    }
  }
  return out;
}
