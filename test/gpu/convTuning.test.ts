// Conv autotuning on this adapter: every phase of a layer gets a measured algorithm and, before
// it, a measured register-tile width for the implicit kernels; both persist through the store,
// and a backend that starts from the stored choices computes what the CPU twin does.

import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { conv2dGeometry, inputElements, outputElements, weightElements } from '../../src/engine/conv/geometry';
import { type AutotuneFile, type AutotuneStore, adapterKey } from '../../src/engine/webgpu/autotune/autotuner';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { defaultConvTile } from '../../src/engine/webgpu/ops/convAlgorithms';
import { chosenConvTile, convTileKey } from '../../src/engine/webgpu/ops/convTiles';
import { CONV_PHASES, convProblemKey } from '../../src/engine/webgpu/ops/convAlgorithmsChoice';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { maxAbsDiff, randomArray } from '../helpers/random';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

class MemoryStore implements AutotuneStore {
  file: AutotuneFile | null = null;
  async load(): Promise<AutotuneFile | null> {
    return this.file && structuredClone(this.file);
  }
  async save(file: AutotuneFile): Promise<void> {
    this.file = structuredClone(file);
  }
}

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await gpuContext();
});

describe('conv autotuning', () => {
  it.skipIf(noGpu)('measures a tile width and an algorithm per phase, stores both, and the stored choices compute the right thing', async () => {
    requireGpu(ctx);
    const g = conv2dGeometry([3, 6, 9, 9], [10, 6, 3, 3], { padding: 1 });
    const store = new MemoryStore();
    const tuned = new WebGpuBackend(ctx, { autotuneStore: store });
    await tuned.tuneConv(g);
    await tuned.saveTuning();
    const choices = tuned.describeChoices();
    for (const phase of CONV_PHASES) {
      const algo = choices.find((c) => c.key === convProblemKey(g, phase));
      expect(algo?.reason).toBe('measured');
      expect(algo!.candidates.every((c) => c.ms !== null && !c.rejected)).toBe(true);
      const tile = choices.find((c) => c.key === convTileKey(g, phase));
      expect(tile?.reason).toBe('measured');
      expect(tile!.candidates.map((c) => c.name).sort()).toEqual(phase === 'grad-weight' ? ['oc16', 'oc8'] : ['px1', 'px2', 'px4']);
      expect(tile!.candidates.every((c) => c.ms !== null && !c.rejected)).toBe(true);
    }

    const fresh = new WebGpuBackend(ctx, { autotuneStore: store });
    await fresh.tuner.load();
    expect(fresh.tuner.get(convTileKey(g, 'forward'))?.reason).toBe('cached');
    const cpu = new CpuBackend();
    const x = randomArray(inputElements(g), 51);
    const w = randomArray(weightElements(g), 52, 0.5);
    const b = randomArray(g.outChannels, 53);
    const dOut = randomArray(outputElements(g), 54);
    const want = { out: cpu.alloc(outputElements(g)), dIn: cpu.alloc(inputElements(g)), dW: cpu.alloc(weightElements(g)) };
    cpu.conv2dForward(g, x, w, b, want.out);
    cpu.conv2dBackwardInput(g, dOut, w, want.dIn);
    cpu.conv2dBackwardWeight(g, x, dOut, want.dW, false);
    const [gx, gw, gb, gd] = [fresh.upload(x, 'x'), fresh.upload(w, 'w'), fresh.upload(b, 'b'), fresh.upload(dOut, 'dOut')];
    const got = { out: fresh.alloc(outputElements(g), 'out'), dIn: fresh.alloc(inputElements(g), 'dIn'), dW: fresh.alloc(weightElements(g), 'dW') };
    fresh.conv2dForward(g, gx, gw, gb, got.out);
    fresh.conv2dBackwardInput(g, gd, gw, got.dIn);
    fresh.conv2dBackwardWeight(g, gx, gd, got.dW, false);
    expect(maxAbsDiff(await fresh.read(got.out), want.out)).toBeLessThan(1e-4);
    expect(maxAbsDiff(await fresh.read(got.dIn), want.dIn)).toBeLessThan(1e-4);
    expect(maxAbsDiff(await fresh.read(got.dW), want.dW)).toBeLessThan(1e-3);
  });

  it.skipIf(noGpu)('ignores a stored tile name it does not know (a damaged or foreign cache) and uses the default tile', async () => {
    requireGpu(ctx);
    const g = conv2dGeometry([2, 4, 6, 6], [8, 4, 3, 3], { padding: 1 });
    const store = new MemoryStore();
    store.file = { version: 1, adapters: { [adapterKey(ctx.adapter)]: { [convTileKey(g, 'forward')]: { phase: 'forward tile', choice: 'px9', candidates: [] } } } };
    const be = new WebGpuBackend(ctx, { autotuneStore: store });
    await be.tuner.load();
    expect(be.tuner.get(convTileKey(g, 'forward'))?.choice).toBe('px9');
    expect(chosenConvTile(ctx, be.tuner, g, 'forward')).toEqual(defaultConvTile(ctx));
  });
});

