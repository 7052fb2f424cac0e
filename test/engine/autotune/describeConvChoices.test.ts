import { describe, expect, it } from 'vitest';
import type { TuneChoice } from '../../../src/engine/webgpu/autotune/autotuner';
import { describeConvChoices } from '../../../src/engine/webgpu/ops/convAlgorithmsChoice';

describe('describeConvChoices', () => {
  it('lists each conv problem of this kernel revision with its algorithm, the measured tile width, the reason and the candidates', () => {
    const key = 'conv:forward:r3:n64:c8x14x14:o16:k3x3:s1x1:p1,1,1,1:d1x1:g1';
    const choices: TuneChoice[] = [
      { key: 'gemm:nn:16x72x196', phase: 'gemm', choice: 'wg8x8.tm4.tn4', reason: 'measured', candidates: [] },
      { key: `tile:${key}`, phase: 'forward tile', choice: 'px4', reason: 'measured', candidates: [{ name: 'px4', ms: 20 }, { name: 'px2', ms: 30 }] },
      { key, phase: 'forward', choice: 'implicit', reason: 'measured', candidates: [{ name: 'im2col', ms: 69 }, { name: 'implicit', ms: 28.44 }, { name: 'direct', ms: null, rejected: 'wrong result' }] },
      { key: key.replace('forward', 'grad-input'), phase: 'grad-input', choice: 'implicit', reason: 'heuristic', candidates: [] },
      { key: key.replace(':r3:', ':r2:'), phase: 'forward', choice: 'direct', reason: 'cached', candidates: [] },
    ];
    expect(describeConvChoices({ describeChoices: () => choices })).toBe(
      '8x14x14→16 forward: implicit px4 (measured: im2col 69.0 ms, implicit 28.4 ms, direct rejected); 8x14x14→16 grad-input: implicit (heuristic)',
    );
  });
});
