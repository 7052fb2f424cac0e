// The Kernels panel's rows from the worker's KernelReport: per conv layer and phase the algorithm,
// the tile it runs with (the implicit kernels' lane width, or the GEMM tile of the im2col path),
// why it was chosen, and what each candidate took. Pure: tested in test/renderer.

import type { TuneChoice } from '../../../../engine/webgpu/autotune/autotuner';
import type { KernelReport, KernelRow } from '../../worker/protocol';

export type KernelWhy = 'measured' | 'cached' | 'heuristic' | 'forced' | 'not run';

export interface CandidateCell {
  name: string;
  /** "1.24 ms", or "rejected" for a candidate that computed the wrong result here. */
  text: string;
  chosen: boolean;
  /** Why it was rejected, for a tooltip. */
  detail?: string;
}

export interface KernelRowView {
  id: string;
  layer: string;
  phase: string;
  runs: boolean;
  algorithm: string;
  /** The engine's remark on a forced choice, e.g. "forced direct does not apply". */
  note: string | null;
  tile: string;
  /** The tile's candidates and how it was chosen, for a tooltip. */
  tileDetail: string;
  why: KernelWhy;
  candidates: CandidateCell[];
  /** What the candidates cell says when there are none. */
  noCandidates: string;
}

export function formatKernelMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  return ms < 0.1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

/** "implicit (forced direct does not apply)" → implicit, with the remark kept apart. */
function splitChoice(choice: string): { name: string; remark: string | null } {
  const m = /^(\S+)\s+\((.+)\)$/.exec(choice);
  return m ? { name: m[1]!, remark: m[2]! } : { name: choice, remark: null };
}

function candidateCells(c: TuneChoice): CandidateCell[] {
  return c.candidates.map((t) => ({
    name: t.name,
    text: t.ms === null ? 'rejected' : formatKernelMs(t.ms),
    chosen: t.name === c.choice,
    ...(t.rejected ? { detail: t.rejected } : {}),
  }));
}

/** One line for a tooltip: how a tile was chosen and what its candidates took. */
export function describeTuning(c: TuneChoice): string {
  const times = c.candidates.map((t) => `${t.name} ${t.ms === null ? 'rejected' : formatKernelMs(t.ms)}`).join(', ');
  return `${c.choice}: ${c.reason}${times ? ` (${times})` : ''}`;
}

function tileOf(row: KernelRow, algorithm: string): { tile: string; detail: string } {
  if (algorithm === 'implicit') {
    const what = row.phase === 'grad-weight' ? 'output channels per lane' : 'pixels per lane';
    return row.tile
      ? { tile: row.tile.choice, detail: `${what} · ${describeTuning(row.tile)}` }
      : { tile: 'default', detail: `${what}: the kernel's default (not timed)` };
  }
  if (algorithm === 'im2col') {
    return row.gemm
      ? { tile: `GEMM ${row.gemm.choice}`, detail: `GEMM workgroup × register tile × split-K · ${describeTuning(row.gemm)}` }
      : { tile: 'GEMM default', detail: 'GEMM tile: the heuristic (not timed)' };
  }
  return { tile: '—', detail: algorithm === 'direct' ? 'the direct kernel has no tile to tune' : '' };
}

export function kernelRowViews(report: KernelReport): KernelRowView[] {
  return report.rows.map((row) => {
    const id = `${row.layer}|${row.phase}`;
    if (!row.runs) {
      return {
        id, layer: row.layer, phase: row.phase, runs: false, algorithm: '—', note: null, tile: '—', tileDetail: '', why: 'not run', candidates: [],
        noCandidates: 'its input is the images, so no gradient is needed',
      };
    }
    const split = row.algorithm ? splitChoice(row.algorithm.choice) : { name: '—', remark: null };
    const forced = split.remark?.startsWith('forced') ?? false;
    const { tile, detail } = tileOf(row, split.name);
    return {
      id,
      layer: row.layer,
      phase: row.phase,
      runs: true,
      algorithm: split.name,
      note: forced && split.remark !== 'forced' ? split.remark : null,
      tile,
      tileDetail: detail,
      why: forced ? 'forced' : row.algorithm?.reason ?? 'heuristic',
      candidates: row.algorithm ? candidateCells(row.algorithm) : [],
      noCandidates: 'not timed',
    };
  });
}

/** A one-line summary over the rows, e.g. "4 measured · 1 cached". */
export function whySummary(rows: readonly KernelRowView[]): string {
  const counts = new Map<KernelWhy, number>();
  for (const r of rows) if (r.runs) counts.set(r.why, (counts.get(r.why) ?? 0) + 1);
  return [...counts].map(([why, n]) => `${n} ${why}`).join(' · ');
}
