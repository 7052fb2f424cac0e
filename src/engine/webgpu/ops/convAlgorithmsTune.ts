// Autotuning of the conv algorithm per layer and phase (and, before it, the register-tile width of
// the implicit kernels, convTiles.ts): each candidate is first checked against
// the explicit im2col path on the same random data (a wrong kernel on this adapter can never be
// chosen), then timed; the fastest is remembered per adapter through the backend's tuner.

import type { Conv2dGeometry } from '../../conv/geometry';
import { inputElements, outputElements, weightElements } from '../../conv/geometry';
import { explicitConvBackwardInput, explicitConvBackwardWeight, explicitConvForward } from '../../conv/explicitConv';
import type { GpuTensor } from '../gpuTensor';
import { timeGpuWork } from '../autotune/measure';
import type { WebGpuBackend } from '../webgpuBackend';
import { convBackwardInputWith, convBackwardWeightWith, convForwardWith } from './convAlgorithms';
import { CONV_PHASES, type ConvAlgorithmName, type ConvPhase } from './convAlgorithmsChoice';
import { chosenConvTile, convTileCandidates, convTileKey } from './convTiles';

function fill(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(seed + i * 0.7071) * 0.5;
  return out;
}

/** Tune every phase of one conv layer that has no measured or stored choice yet. */
export async function tuneConvAlgorithms(be: WebGpuBackend, g: Conv2dGeometry, repeats = 3): Promise<void> {
  const phases = CONV_PHASES.filter((phase) => be.convChooser.needsTuning(g, phase));
  if (phases.length === 0) return;
  const ctx = be.ctx;
  const x = ctx.upload(fill(inputElements(g), 1), 'tune-conv-x');
  const w = ctx.upload(fill(weightElements(g), 2), 'tune-conv-w');
  const b = ctx.upload(fill(g.outChannels, 3), 'tune-conv-b');
  const dOut = ctx.upload(fill(outputElements(g), 4), 'tune-conv-dOut');
  const sizes: Record<ConvPhase, number> = { forward: outputElements(g), 'grad-input': inputElements(g), 'grad-weight': weightElements(g) };
  try {
    for (const phase of phases) {
      const out = ctx.alloc(sizes[phase], 'tune-conv-out');
      const record = (algo: ConvAlgorithmName, dst: GpuTensor, tile = chosenConvTile(ctx, be.tuner, g, phase)): void => {
        if (phase === 'forward') {
          if (algo === 'im2col') explicitConvForward(be, g, x, w, b, dst);
          else convForwardWith(ctx, algo, g, x, w, b, dst, tile);
        } else if (phase === 'grad-input') {
          if (algo === 'im2col') explicitConvBackwardInput(be, g, dOut, w, dst);
          else convBackwardInputWith(ctx, algo, g, dOut, w, dst, tile);
        } else if (algo === 'im2col') explicitConvBackwardWeight(be, g, x, dOut, dst, false);
        else convBackwardWeightWith(ctx, algo, g, x, dOut, dst, false, tile);
      };
      record('im2col', out);
      const expected = await ctx.read(out);
      const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
      const tolerance = 1e-5 * scale * Math.sqrt(g.batch * g.outHeight * g.outWidth + g.inChannels * g.kernelH * g.kernelW);
      const check = async (): Promise<void> => {
        const got = await ctx.read(out);
        let worst = 0;
        for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!) || (Number.isNaN(got[i]!) ? Infinity : 0));
        if (!(worst <= tolerance)) throw new Error(`wrong result (max error ${worst})`);
      };
      try {
        // The implicit kernels' tile width first, so the algorithms below race at their best.
        const tiles = new Map(convTileCandidates(ctx, phase));
        await be.tuner.tune(convTileKey(g, phase), `${phase} tile`, [...tiles.keys()], async (name) => {
          record('implicit', out, tiles.get(name));
          await check();
          return timeGpuWork(ctx, () => record('implicit', out, tiles.get(name)), repeats);
        });
        await be.convChooser.tune(g, phase, async (algo) => {
          if (algo !== 'im2col') {
            record(algo, out);
            await check();
          }
          return timeGpuWork(ctx, () => record(algo, out), repeats);
        });
      } finally {
        ctx.release(out);
      }
    }
  } finally {
    for (const t of [x, w, b, dOut]) ctx.release(t);
  }
}
