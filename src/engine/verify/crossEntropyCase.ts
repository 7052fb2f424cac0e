// cross_entropy conformance case (reduction 'mean', optional label_smoothing): the loss and
// dLogits from the fused softmax cross-entropy kernel the trainer uses.

import type { Backend } from '../backend';
import type { ParsedCase } from '../../shared/cases';
import type { Produced } from './runCase';

export async function runCrossEntropyCase<B>(be: Backend<B>, c: ParsedCase): Promise<Produced> {
  if (c.op !== 'cross_entropy') throw new Error(`cross_entropy runner given a ${c.op} case`);
  const [n, classes] = c.inputs.logits.shape as [number, number];
  const owned: B[] = [];
  const keep = (t: B): B => (owned.push(t), t);
  try {
    const logits = keep(be.upload(c.inputs.logits.data, 'case-logits'));
    const targets = keep(be.upload(c.inputs.target.data, 'case-targets'));
    const loss = keep(be.alloc(1, 'case-loss'));
    const dLogits = keep(be.alloc(n * classes, 'case-grad-logits'));
    const correct = keep(be.alloc(1, 'case-correct'));
    be.crossEntropy(n, classes, logits, targets, loss, dLogits, correct, c.attrs.labelSmoothing);
    const produced: Produced = {};
    if (c.expected.loss) produced.loss = await be.read(loss);
    if (c.expected.gradLogits) produced.gradLogits = await be.read(dLogits);
    return produced;
  } finally {
    for (const t of owned) be.release(t);
  }
}
