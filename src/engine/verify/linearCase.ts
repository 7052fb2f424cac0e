// linear conformance case: y = x·Wᵀ + b and, with grad_output, dX, dW and db — through the
// same GEMM plans and bias kernels the Linear layer uses.

import type { Backend } from '../backend';
import type { ParsedCase } from '../../shared/cases';
import { linearForwardGemm, linearGradInputGemm, linearGradWeightGemm } from '../linear/gemmPlan';
import type { Produced } from './runCase';

export async function runLinearCase<B>(be: Backend<B>, c: ParsedCase): Promise<Produced> {
  if (c.op !== 'linear') throw new Error(`linear runner given a ${c.op} case`);
  const [n, inF] = c.inputs.input.shape as [number, number];
  const outF = c.inputs.weight.shape[0]!;
  const owned: B[] = [];
  const keep = (t: B): B => (owned.push(t), t);
  try {
    const x = keep(be.upload(c.inputs.input.data, 'case-input'));
    const w = keep(be.upload(c.inputs.weight.data, 'case-weight'));
    const y = keep(be.alloc(n * outF, 'case-output'));
    be.gemm(linearForwardGemm(n, inF, outF), x, w, y);
    if (c.inputs.bias) be.biasAdd(n, outF, 1, keep(be.upload(c.inputs.bias.data, 'case-bias')), y);
    const produced: Produced = {};
    if (c.expected.output) produced.output = await be.read(y);
    if (c.gradOutput) {
      const dY = keep(be.upload(c.gradOutput.data, 'case-grad-output'));
      if (c.expected.gradInput) {
        const dX = keep(be.alloc(n * inF, 'case-grad-input'));
        be.gemm(linearGradInputGemm(n, inF, outF), dY, w, dX);
        produced.gradInput = await be.read(dX);
      }
      if (c.expected.gradWeight) {
        const dW = keep(be.alloc(outF * inF, 'case-grad-weight'));
        be.gemm(linearGradWeightGemm(n, inF, outF, false), dY, x, dW);
        produced.gradWeight = await be.read(dW);
      }
      if (c.expected.gradBias) {
        const dB = keep(be.alloc(outF, 'case-grad-bias'));
        be.biasGrad(n, outF, 1, dY, dB, false);
        produced.gradBias = await be.read(dB);
      }
    }
    return produced;
  } finally {
    for (const t of owned) be.release(t);
  }
}
