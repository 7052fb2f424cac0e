// Finite-difference check of a whole model on the float64 CPU backend: the tape's gradients of
// the mean cross-entropy (optionally label-smoothed) with respect to every parameter and to the
// input, against central differences of the same loss.

import { Tape } from '../../../src/engine/autograd/tape';
import { Tensor } from '../../../src/engine/autograd/tensor';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { parseText } from '../../../src/engine/model/parseText';
import { Sequential } from '../../../src/engine/nn/sequential';
import { randomArray } from '../../helpers/random';

export interface GradCheck {
  /** Worst |analytic − numeric| / (1e-3 + |numeric|) over every parameter element and input. */
  worstRelative: number;
  where: string;
  checked: number;
}

export function gradCheck(text: string, input: [number, number, number], options: { batch?: number; classes?: number; labelSmoothing?: number; seed?: number } = {}): GradCheck {
  const { batch = 2, labelSmoothing = 0, seed = 1 } = options;
  const be = new CpuBackend();
  const spec = parseText(text, input);
  const model = new Sequential(spec, be, seed);
  const x = randomArray(batch * input[0] * input[1] * input[2], seed + 1, 1.5);
  const classes = options.classes ?? model.outputShape([batch, ...input])[1]!;
  const targets = Float64Array.from({ length: batch }, (_, i) => (i * 7 + 3) % classes);

  const run = (withGrad: boolean): { loss: number; dX: Float64Array | null } => {
    const tape = new Tape(be, withGrad);
    const xt = new Tensor(x, [batch, ...input], true);
    const logits = model.forward(xt, { be, tape, training: true, stepSeed: 0 });
    const loss = be.alloc(1), correct = be.alloc(1);
    logits.grad = tape.temp(logits.size, 'dLogits');
    be.crossEntropy(batch, classes, logits.data, targets, loss, logits.grad, correct, labelSmoothing);
    if (withGrad) tape.backward();
    const dX = xt.grad ? Float64Array.from(xt.grad) : null;
    tape.reset();
    return { loss: loss[0]!, dX };
  };

  const { dX } = run(true);
  const analytic = model.parameters().map((p) => ({ name: p.name, data: p.data, grad: Float64Array.from(p.grad) }));
  const h = 1e-5;
  let worstRelative = 0;
  let where = '';
  let checked = 0;
  const compare = (got: number, numeric: number, label: string) => {
    const rel = Math.abs(got - numeric) / (1e-3 + Math.abs(numeric));
    checked++;
    if (rel > worstRelative) { worstRelative = rel; where = `${label}: analytic ${got}, numeric ${numeric}`; }
  };
  const central = (values: Float64Array, i: number): number => {
    const saved = values[i]!;
    values[i] = saved + h;
    const up = run(false).loss;
    values[i] = saved - h;
    const down = run(false).loss;
    values[i] = saved;
    return (up - down) / (2 * h);
  };
  for (const p of analytic) for (let i = 0; i < p.data.length; i++) compare(p.grad[i]!, central(p.data, i), `${p.name}[${i}]`);
  if (!dX) throw new Error('the input received no gradient');
  for (let i = 0; i < x.length; i++) compare(dX[i]!, central(x, i), `input[${i}]`);
  return { worstRelative, where, checked };
}
