// Before a candidate kernel may run on a training step, it must compute the right thing on this
// adapter: each candidate runs once on seeded data beside a reference (im2col with the naive GEMM
// for a conv phase, the naive GEMM for a GEMM), and the outputs are compared. The work is
// recorded into the pending encoder (it goes out with the next step's submit) and copied to
// mappable buffers there; read() maps them once that step is known to be done, so nothing waits
// on the device and Dawn for Node never polls for it (see train/readbackPacer.ts).
//
// A conv phase is checked at batch 2 (the kernels' code paths, tile edges and sample boundaries
// are all there; the full batch would cost as much as a round of the race); a GEMM at its own
// size (the GEMMs raced outside convs are linear layers': small).

import { type Conv2dGeometry, inputElements, outputElements, weightElements } from '../../conv/geometry';
import type { GemmSpec } from '../../gemm';
import type { GpuContext } from '../context';
import { BufferUsage, type GpuTensor } from '../gpuTensor';
import { gemmGpu } from '../ops/convPrimitives';
import type { ConvPhase } from '../ops/convAlgorithmsChoice';
import { type ConvPhaseIo, type ConvVariant, convPhaseGemm, recordConvVariant } from '../ops/convVariants';
import { gemmTiledGpu } from '../ops/gemmTiled';
import type { WebGpuBackend } from '../webgpuBackend';
import { type GemmConfig } from './gemmConfigs';
import { operandExtent } from './gemmTuning';

/** Per candidate: null when it matched the reference, else why not. */
export interface StagedCheck {
  read(): Promise<Array<string | null>>;
}

function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(seed + i * 0.7071) * 0.5;
  return out;
}

/** Copy a tensor into a new mappable buffer, in the pending encoder. */
function stage(ctx: GpuContext, t: GpuTensor): { buffer: GPUBuffer; length: number } {
  const size = Math.max(4, t.length * 4);
  const buffer = ctx.device.createBuffer({ label: `${t.label}-check`, size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  ctx.pendingEncoder().copyBufferToBuffer(t.buffer, 0, buffer, 0, size);
  return { buffer, length: t.length };
}

async function readStaged(s: { buffer: GPUBuffer; length: number }): Promise<Float32Array> {
  await s.buffer.mapAsync(0x0001 /* GPUMapMode.READ */);
  const out = new Float32Array(s.buffer.getMappedRange().slice(0, s.length * 4));
  s.buffer.unmap();
  s.buffer.destroy();
  return out;
}

/** Compares every staged candidate output with the staged reference. */
function comparing(ctx: GpuContext, reference: { buffer: GPUBuffer; length: number }, outputs: Array<{ buffer: GPUBuffer; length: number }>, terms: number): StagedCheck {
  return {
    async read() {
      const [want, ...got] = await Promise.all([reference, ...outputs].map(readStaged));
      ctx.throwIfBroken();
      const scale = want!.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
      const tolerance = 1e-5 * scale * Math.sqrt(terms);
      return got.map((out) => {
        let worst = 0;
        for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i]! - want![i]!) || (Number.isNaN(out[i]!) ? Infinity : 0));
        return worst <= tolerance ? null : `wrong result on this adapter (max error ${worst} against the reference)`;
      });
    },
  };
}

export function recordConvChecks(be: WebGpuBackend, geometry: Conv2dGeometry, phase: ConvPhase, variants: readonly ConvVariant[]): StagedCheck {
  const ctx = be.ctx;
  const g = { ...geometry, batch: Math.min(geometry.batch, 2) };
  const size = phase === 'forward' ? outputElements(g) : phase === 'grad-input' ? inputElements(g) : weightElements(g);
  // Uploads first: one that recycles a pooled buffer submits what is pending.
  const x = ctx.upload(seeded(inputElements(g), 1), 'check-conv-x');
  const w = ctx.upload(seeded(weightElements(g), 2), 'check-conv-w');
  const b = ctx.upload(seeded(g.outChannels, 3), 'check-conv-b');
  const dOut = ctx.upload(seeded(outputElements(g), 4), 'check-conv-dOut');
  const outs = [null, ...variants].map(() => ctx.alloc(size, 'check-conv-out'));
  const io = (out: GpuTensor): ConvPhaseIo =>
    phase === 'forward' ? { phase, input: x, weight: w, bias: b, output: out }
      : phase === 'grad-input' ? { phase, dOut, weight: w, dInput: out }
        : { phase, input: x, dOut, dWeight: out, accumulate: false };
  // "The tuned GEMM" means the full batch's: name it, so no choice is noted for batch 2.
  const tunedGemm = be.gemmTuning.config(convPhaseGemm(geometry, phase), phase);
  const saved = ctx.scope;
  ctx.scope = null;
  try {
    recordConvVariant(be, g, { algo: 'im2col', gemm: 'naive' }, io(outs[0]!));
    variants.forEach((v, i) => recordConvVariant(be, g, v.algo === 'im2col' && v.gemm === null ? { algo: 'im2col', gemm: tunedGemm } : v, io(outs[i + 1]!)));
  } finally {
    ctx.scope = saved;
  }
  const staged = outs.map((t) => stage(ctx, t));
  // Later users of these pooled buffers are recorded after the copies above.
  for (const t of [x, w, b, dOut, ...outs]) ctx.release(t);
  const terms = g.batch * g.outHeight * g.outWidth + (g.inChannels / g.groups) * g.kernelH * g.kernelW;
  return comparing(ctx, staged[0]!, staged.slice(1), terms);
}

export function recordGemmChecks(be: WebGpuBackend, spec: GemmSpec, configs: readonly GemmConfig[]): StagedCheck {
  const ctx = be.ctx;
  const cInit = seeded(operandExtent(spec, 'c'), 3);
  const a = ctx.upload(seeded(operandExtent(spec, 'a'), 1), 'check-gemm-a');
  const b = ctx.upload(seeded(operandExtent(spec, 'b'), 2), 'check-gemm-b');
  // beta may be non-zero: every output starts from the same C.
  const outs = [null, ...configs].map(() => ctx.upload(cInit, 'check-gemm-c'));
  const saved = ctx.scope;
  ctx.scope = null;
  try {
    gemmGpu(ctx, spec, a, b, outs[0]!);
    configs.forEach((c, i) => gemmTiledGpu(ctx, spec, c, a, b, outs[i + 1]!, 'check'));
  } finally {
    ctx.scope = saved;
  }
  const staged = outs.map((t) => stage(ctx, t));
  for (const t of [a, b, ...outs]) ctx.release(t);
  return comparing(ctx, staged[0]!, staged.slice(1), spec.k * spec.reduce.count);
}
