// activation conformance case: y = f(x) and, with grad_output, dX, through the same backend ops
// the activation layers call (relu's backward reads y, leaky_relu's reads x, the smooth ones
// what savesOutput says).

import { savesOutput } from '../backend';
import type { Backend } from '../backend';
import type { ParsedCase } from '../../shared/cases';
import type { Produced } from './runCase';

export async function runActivationCase<B>(be: Backend<B>, c: ParsedCase): Promise<Produced> {
  if (c.op !== 'activation') throw new Error(`activation runner given a ${c.op} case`);
  const { kind, negativeSlope } = c.attrs;
  const n = c.inputs.input.data.length;
  const owned: B[] = [];
  const keep = (t: B): B => (owned.push(t), t);
  try {
    const x = keep(be.upload(c.inputs.input.data, 'case-input'));
    const y = keep(be.alloc(n, 'case-output'));
    if (kind === 'relu') be.relu(n, x, y);
    else if (kind === 'leaky_relu') be.leakyRelu(n, negativeSlope, x, y);
    else be.activation(kind, n, x, y);
    const produced: Produced = {};
    if (c.expected.output) produced.output = await be.read(y);
    if (c.gradOutput && c.expected.gradInput) {
      const dY = keep(be.upload(c.gradOutput.data, 'case-grad-output'));
      const dX = keep(be.alloc(n, 'case-grad-input'));
      if (kind === 'relu') be.reluBackward(n, y, dY, dX);
      else if (kind === 'leaky_relu') be.leakyReluBackward(n, negativeSlope, x, dY, dX);
      else be.activationBackward(kind, n, savesOutput(kind) ? y : x, dY, dX);
      produced.gradInput = await be.read(dX);
    }
    return produced;
  } finally {
    for (const t of owned) be.release(t);
  }
}
