// "It is the same computation as PyTorch": the float64 CPU engine reproduces PyTorch's first
// 20 losses of the reference model from identical weights and batches.

import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { parityFixture, replayParity } from '../../helpers/pytorchParity';

describe('reference model vs PyTorch (CPU twins)', () => {
  it('matches the first 20 losses within 1e-3 relative', async () => {
    const losses = await replayParity(new CpuBackend());
    expect(losses).toHaveLength(20);
    losses.forEach((loss, i) => {
      const want = parityFixture.losses[i]!;
      expect(Math.abs(loss - want) / Math.abs(want), `step ${i + 1}: ${loss} vs PyTorch ${want}`).toBeLessThan(1e-3);
    });
    // float64 against float64: in fact far closer than the bound.
    expect(Math.abs(losses[19]! - parityFixture.losses[19]!)).toBeLessThan(1e-9);
  });
});
