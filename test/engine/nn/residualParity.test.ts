// A residual model made in PyTorch (the documented Residual(body, shortcut) module, nested, with
// identity and projection shortcuts, batch norm in training, gelu/silu/tanh, reflect padding,
// gap, label smoothing): the float64 CPU engine gives its logits, loss, every parameter gradient,
// the input gradient and the updated running statistics.

import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { residualFixture, runResidualFixture, worstError } from './residualFixture';

describe('residual model against PyTorch (CPU, float64)', () => {
  it('has the same state_dict names, in PyTorch order, and matches forward and backward', async () => {
    const f = residualFixture();
    const run = await runResidualFixture(new CpuBackend(), f);
    expect(run.parameterNames).toEqual(f.expected.grads.map((g) => g.name));
    expect([...run.stateAfter.keys()]).toEqual(f.state_dict.map((t) => t.name));
    expect(run.parameterNames).toContain('5.shortcut.0.weight');
    expect(run.parameterNames).toContain('7.body.0.body.0.weight');
    // float64 against float64, except the running statistics, which readStateDict gives as f32.
    const { ratio, where } = worstError(run, f, 1e-7, 1e-7);
    expect(ratio, where).toBeLessThan(1);
  });
});
