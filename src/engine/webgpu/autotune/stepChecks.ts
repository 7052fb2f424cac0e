// Before a candidate kernel may run on a training step, it must compute the right thing on this
// adapter: each candidate runs once on seeded data and its output is compared with the float64
// CPU twin's on the same data (a GPU reference would need pipelines of its own, compiled on the
// CPU the training steps run on). The GPU work is recorded into the pending encoder (it goes out
// with the next step's submit) and copied to mappable buffers there; read() maps them once that
// step is known to be done, so nothing waits on the device and Dawn for Node never polls for it
// (see train/readbackPacer.ts).
//
// A conv phase is checked at batch 2 (the kernels' code paths, tile edges and sample boundaries
// are all there; the full batch would cost as much as a round of the race); a GEMM at its own
// size (the GEMMs raced outside convs are linear layers': small).

import { CpuBackend } from '../../cpu/cpuBackend';
import { type Conv2dGeometry, inputElements, outputElements, weightElements } from '../../conv/geometry';
import type { GemmSpec } from '../../gemm';
import type { GpuContext } from '../context';
import { BufferUsage, type GpuTensor } from '../gpuTensor';
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

/** Compares every staged candidate output with the reference. */
function comparing(ctx: GpuContext, want: Float64Array, outputs: Array<{ buffer: GPUBuffer; length: number }>, terms: number): StagedCheck {
  return {
    async read() {
      const got = await Promise.all(outputs.map(readStaged));
      ctx.throwIfBroken();
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
      const tolerance = 1e-5 * scale * Math.sqrt(terms);
      return got.map((out) => {
        let worst = 0;
        for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i]! - want[i]!) || (Number.isNaN(out[i]!) ? Infinity : 0));
        return worst <= tolerance ? null : `wrong result on this adapter (max error ${worst} against the reference)`;
      });
    },
  };
}

export function recordConvChecks(be: WebGpuBackend, geometry: Conv2dGeometry, phase: ConvPhase, variants: readonly ConvVariant[]): StagedCheck {
  const ctx = be.ctx;
  const g = { ...geometry, batch: Math.min(geometry.batch, 2) };
  const size = phase === 'forward' ? outputElements(g) : phase === 'grad-input' ? inputElements(g) : weightElements(g);
  const data = { x: seeded(inputElements(g), 1), w: seeded(weightElements(g), 2), b: seeded(g.outChannels, 3), dOut: seeded(outputElements(g), 4) };
  const cpu = new CpuBackend();
  const want = cpu.alloc(size);
  const f64 = (a: Float32Array): Float64Array => Float64Array.from(a);
  if (phase === 'forward') cpu.conv2dForward(g, f64(data.x), f64(data.w), f64(data.b), want);
  else if (phase === 'grad-input') cpu.conv2dBackwardInput(g, f64(data.dOut), f64(data.w), want);
  else cpu.conv2dBackwardWeight(g, f64(data.x), f64(data.dOut), want, false);
  // Uploads first: one that recycles a pooled buffer submits what is pending.
  const x = ctx.upload(data.x, 'check-conv-x');
  const w = ctx.upload(data.w, 'check-conv-w');
  const b = ctx.upload(data.b, 'check-conv-b');
  const dOut = ctx.upload(data.dOut, 'check-conv-dOut');
  const outs = variants.map(() => ctx.alloc(size, 'check-conv-out'));
  const io = (out: GpuTensor): ConvPhaseIo =>
    phase === 'forward' ? { phase, input: x, weight: w, bias: b, output: out }
      : phase === 'grad-input' ? { phase, dOut, weight: w, dInput: out }
        : { phase, input: x, dOut, dWeight: out, accumulate: false };
  // "The tuned GEMM" means the full batch's: name it, so no choice is noted for batch 2.
  const tunedGemm = be.gemmTuning.config(convPhaseGemm(geometry, phase), phase);
  const saved = ctx.scope;
  ctx.scope = null;
  try {
    variants.forEach((v, i) => recordConvVariant(be, g, v.algo === 'im2col' && v.gemm === null ? { algo: 'im2col', gemm: tunedGemm } : v, io(outs[i]!)));
  } finally {
    ctx.scope = saved;
  }
  const staged = outs.map((t) => stage(ctx, t));
  // Later users of these pooled buffers are recorded after the copies above.
  for (const t of [x, w, b, dOut, ...outs]) ctx.release(t);
  const terms = g.batch * g.outHeight * g.outWidth + (g.inChannels / g.groups) * g.kernelH * g.kernelW;
  return comparing(ctx, want, staged, terms);
}

export function recordGemmChecks(be: WebGpuBackend, spec: GemmSpec, configs: readonly GemmConfig[]): StagedCheck {
  const ctx = be.ctx;
  const cInit = seeded(operandExtent(spec, 'c'), 3);
  const aData = seeded(operandExtent(spec, 'a'), 1);
  const bData = seeded(operandExtent(spec, 'b'), 2);
  // beta may be non-zero: every output starts from the same C.
  const want = Float64Array.from(cInit);
  new CpuBackend().gemm(spec, Float64Array.from(aData), Float64Array.from(bData), want);
  const a = ctx.upload(aData, 'check-gemm-a');
  const b = ctx.upload(bData, 'check-gemm-b');
  const outs = configs.map(() => ctx.upload(cInit, 'check-gemm-c'));
  const saved = ctx.scope;
  ctx.scope = null;
  try {
    configs.forEach((c, i) => gemmTiledGpu(ctx, spec, c, a, b, outs[i]!, 'check'));
  } finally {
    ctx.scope = saved;
  }
  const staged = outs.map((t) => stage(ctx, t));
  for (const t of [a, b, ...outs]) ctx.release(t);
  return comparing(ctx, want, staged, spec.k * spec.reduce.count);
}
