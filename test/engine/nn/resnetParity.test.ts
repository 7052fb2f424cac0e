// "It is the same computation as PyTorch", for a residual network with batch norm: the float64
// CPU engine's Trainer reproduces PyTorch's first 20 losses of ResNet-8 on Fashion-MNIST from
// identical initial weights and batches.

import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { replayResNet, resnetFixture } from './resnetTraining';

describe('ResNet-8 with batch norm vs PyTorch (CPU twins)', () => {
  it('matches the first 20 losses within 1e-3 relative, from the same initial weights', async () => {
    const { losses, names, absSum } = await replayResNet(new CpuBackend());
    // Same tensors in PyTorch's state_dict order, and the same drawn weights.
    expect(names).toEqual(resnetFixture.state_dict_names);
    expect(Math.abs(absSum - resnetFixture.initial_abs_sum)).toBeLessThan(1e-6 * resnetFixture.initial_abs_sum);
    expect(losses).toHaveLength(20);
    losses.forEach((loss, i) => {
      const want = resnetFixture.losses[i]!;
      expect(Math.abs(loss - want) / Math.abs(want), `step ${i + 1}: ${loss} vs PyTorch ${want}`).toBeLessThan(1e-3);
    });
    // float64 against float64: far closer than the bound.
    expect(Math.max(...losses.map((l, i) => Math.abs(l - resnetFixture.losses[i]!)))).toBeLessThan(1e-8);
  }, 300_000);
});
