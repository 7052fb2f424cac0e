// Whole-model finite-difference checks of the layers of the second round, wired through the
// tape exactly as training runs them: smooth activations, gap, conv padding modes, residual blocks
// (fan-out: gradients summed), label smoothing.

import { describe, expect, it } from 'vitest';
import { gradCheck } from './gradcheck';

describe('model gradients against central finite differences (CPU, float64)', () => {
  it.each([
    ['sigmoid, tanh, gelu, silu', 'conv(3,3,p=1) sigmoid conv(3,3) tanh flatten linear(6) gelu linear(4) silu linear(3)', [2, 5, 5]],
    ['gap then a classifier', 'conv(4,3,p=1) bn gelu conv(5,3,s=2,p=1) gap flatten linear(3)', [2, 6, 5]],
    ['reflect padding', 'conv(3,3,p=2,pm=reflect) tanh conv(3,2x3,p=same,pm=reflect) flatten linear(3)', [2, 4, 5]],
    ['replicate padding beyond the size', 'conv(3,3,p=3,pm=replicate) silu conv(2,3,s=2,p=1,pm=replicate,g=1) flatten linear(3)', [1, 2, 3]],
    ['circular padding with groups and dilation', 'conv(4,3,p=2,d=2,pm=circular) sigmoid conv(4,2,p=same,g=2,pm=circular) flatten linear(3)', [2, 4, 4]],
  ] as const)('%s', (_name, text, input) => {
    const r = gradCheck(text, [...input], { batch: 2 });
    expect(r.checked).toBeGreaterThan(50);
    expect(r.worstRelative, r.where).toBeLessThan(1e-5);
  });

  // Residual blocks: the block input is used twice, so its gradient is the sum of both branches'.
  it.each([
    ['identity shortcut', 'conv(3,3,p=1) res(conv(3,3,p=1) bn relu conv(3,3,p=1) bn) relu flatten linear(3)', [2, 4, 4]],
    ['projection shortcut', 'conv(2,3,p=1) res(conv(4,3,s=2,p=1) bn relu conv(4,3,p=1) ; conv(4,1,s=2) bn) gap flatten linear(3)', [1, 5, 5]],
    ['nested blocks and a block first', 'res(res(conv(2,3,p=1) tanh) silu res(conv(2,1) ; conv(2,3,p=1))) flatten linear(3)', [2, 3, 3]],
    ['an identity path through flatten and dropout(0)', 'conv(2,3) flatten res(dropout(0)) res(linear(8) gelu) linear(3)', [1, 4, 4]],
    ['a block whose body ends in relu (its mask reads the body output)', 'conv(3,3,p=1) res(conv(3,3,p=1) relu) res(relu maxpool(3,s=1,p=1)) flatten linear(3)', [1, 4, 4]],
  ] as const)('residual: %s', (_name, text, input) => {
    const r = gradCheck(text, [...input], { batch: 2 });
    expect(r.worstRelative, r.where).toBeLessThan(1e-5);
  });

  it.each([0.1, 1])('label smoothing %s', (eps) => {
    const r = gradCheck('conv(3,3,p=1) tanh flatten linear(5)', [1, 4, 4], { batch: 3, labelSmoothing: eps });
    expect(r.worstRelative, r.where).toBeLessThan(1e-5);
  });
});
