// GEMM configs per problem shape for one device: the autotuner's measured (or stored) choice
// when there is one, the heuristic otherwise. Tuning checks every candidate's result against
// the naive kernel on the same inputs before timing it, so a config that computes the wrong
// thing on this adapter can never be chosen.

import { type GemmSpec, gemmBatchCount, gemmTransLetters } from '../../gemm';
import type { GpuContext } from '../context';
import { gemmGpu } from '../ops/convPrimitives';
import { gemmTiledGpu } from '../ops/gemmTiled';
import { type Autotuner } from './autotuner';
import { type GemmConfig, gemmCandidates, gemmConfigKey, heuristicGemmConfig } from './gemmConfigs';
import { timeGpuWork } from './measure';

/** Shape-only key: strides change addresses, not the work, so one choice serves them all. */
export const gemmProblemKey = (s: GemmSpec): string =>
  `gemm:${gemmTransLetters(s)}:${s.m}x${s.n}x${s.k}:b${s.batch.count[0]}x${s.batch.count[1]}:r${s.reduce.count}`;

export function parseGemmConfigKey(key: string): GemmConfig | null {
  const m = /^wg(\d+)x(\d+)\.tm(\d)\.tn(\d)\.s(\d+)$/.exec(key);
  if (!m) return null;
  const [wgX, wgY, tm, tn, splits] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (![1, 2, 4, 8].includes(tm) || ![4, 8].includes(tn) || wgX * wgY > 256 || wgX * wgY < 1 || splits < 1) return null;
  return { wgX, wgY, tm: tm as GemmConfig['tm'], tn: tn as GemmConfig['tn'], splits };
}

/** Elements a buffer needs for operand X of the spec (last matrix's last element + 1). */
export function operandExtent(s: GemmSpec, which: 'a' | 'b' | 'c'): number {
  const [bo, bi] = s.batch.count;
  if (which === 'c') return s.offsetC + (bo - 1) * s.batch.strideC[0] + (bi - 1) * s.batch.strideC[1] + (s.m - 1) * s.ldc + s.n;
  const [off, stride, rStride, trans, ld, rows, cols] = which === 'a'
    ? [s.offsetA, s.batch.strideA, s.reduce.strideA, s.transA, s.lda, s.m, s.k]
    : [s.offsetB, s.batch.strideB, s.reduce.strideB, s.transB, s.ldb, s.k, s.n];
  const last = trans ? (cols - 1) * ld + rows : (rows - 1) * ld + cols;
  return off + (bo - 1) * stride[0] + (bi - 1) * stride[1] + (s.reduce.count - 1) * rStride + last;
}

export class GemmTuning {
  constructor(private readonly ctx: GpuContext, readonly tuner: Autotuner, private readonly parallelism = 64, private readonly maxCandidates = Infinity) {}

  /** The config to run now: tuned if known, else the heuristic (and say so in describe()). */
  config(s: GemmSpec, phase = 'gemm'): GemmConfig {
    const key = gemmProblemKey(s);
    const known = this.tuner.get(key);
    const parsed = known ? parseGemmConfigKey(known.choice) : null;
    if (parsed) return parsed;
    const h = heuristicGemmConfig(s, this.parallelism);
    this.tuner.noteHeuristic(key, phase, gemmConfigKey(h));
    return h;
  }

  /** The configs worth timing for this shape on this adapter, the heuristic's first. */
  candidates(s: GemmSpec): GemmConfig[] {
    return gemmCandidates(s, this.parallelism, this.maxCandidates);
  }

  /** Measure every candidate for this shape on random data (once per adapter and shape). */
  async tune(s: GemmSpec, phase = 'gemm', repeats = 3): Promise<GemmConfig> {
    const key = gemmProblemKey(s);
    if (s.m === 0 || s.n === 0 || gemmBatchCount(s) === 0) return this.config(s, phase);
    const known = this.tuner.get(key);
    if (known && known.reason !== 'heuristic') return this.config(s, phase);
    const ctx = this.ctx;
    const fill = (n: number, seed: number): Float32Array<ArrayBuffer> => {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.sin(seed + i * 0.7071) * 0.5;
      return out;
    };
    const a = ctx.upload(fill(operandExtent(s, 'a'), 1), 'tune-a');
    const b = ctx.upload(fill(operandExtent(s, 'b'), 2), 'tune-b');
    const cInit = fill(operandExtent(s, 'c'), 3);
    const c = ctx.upload(cInit, 'tune-c');
    const ref = ctx.upload(cInit, 'tune-ref');
    gemmGpu(ctx, s, a, b, ref);
    const expected = await ctx.read(ref);
    const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
    const tolerance = 1e-5 * scale * Math.sqrt(s.k * s.reduce.count);
    const byName = new Map(gemmCandidates(s, this.parallelism, this.maxCandidates).map((cfg) => [gemmConfigKey(cfg), cfg]));
    try {
      await this.tuner.tune(key, phase, [...byName.keys()], async (name) => {
        const cfg = byName.get(name)!;
        ctx.device.queue.writeBuffer(c.buffer, 0, cInit);
        gemmTiledGpu(ctx, s, cfg, a, b, c, 'tune');
        const got = await ctx.read(c);
        let worst = 0;
        for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!) || (Number.isNaN(got[i]!) ? Infinity : 0));
        if (!(worst <= tolerance)) throw new Error(`wrong result (max error ${worst})`);
        return timeGpuWork(ctx, () => gemmTiledGpu(ctx, s, cfg, a, b, c, `tune:${name}`), repeats);
      });
    } finally {
      for (const t of [a, b, c, ref]) ctx.release(t);
    }
    return this.config(s, phase);
  }
}
