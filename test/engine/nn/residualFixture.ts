// Runs the PyTorch-made residual model fixture (test/fixtures/engine/residual_model.json, from
// scripts/make_fixtures.py) through a backend: the state_dict loaded strictly by name, one
// training-mode forward, the label-smoothed cross-entropy and the backward. Shared by the CPU
// and GPU tiers.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tape } from '../../../src/engine/autograd/tape';
import { Tensor } from '../../../src/engine/autograd/tensor';
import type { Backend } from '../../../src/engine/backend';
import { parseText } from '../../../src/engine/model/parseText';
import { Sequential } from '../../../src/engine/nn/sequential';
import { loadStateDict, readStateDict } from '../../../src/engine/nn/stateDict';

interface JsonTensor { shape: number[]; data: number[] }
type Named = JsonTensor & { name: string };

export interface ResidualFixture {
  text: string;
  input: [number, number, number];
  batch: number;
  label_smoothing: number;
  state_dict: Named[];
  x: JsonTensor;
  target: number[];
  expected: { logits: JsonTensor; loss: number; grad_input: JsonTensor; grads: Named[]; state_after: Named[] };
}

export const residualFixture = (): ResidualFixture =>
  JSON.parse(readFileSync(join(__dirname, '../../fixtures/engine/residual_model.json'), 'utf8')) as ResidualFixture;

export interface ResidualRun {
  logits: Float64Array;
  loss: number;
  gradInput: Float64Array;
  grads: Map<string, Float64Array>;
  stateAfter: Map<string, Float32Array>;
  parameterNames: string[];
}

export async function runResidualFixture<B>(be: Backend<B>, f: ResidualFixture): Promise<ResidualRun> {
  const model = new Sequential(parseText(f.text, f.input), be, 0);
  loadStateDict(model, be, f.state_dict.map((t) => ({ name: t.name, shape: t.shape, data: Float32Array.from(t.data) })));
  const tape = new Tape(be, true);
  const x = new Tensor(be.upload(f.x.data, 'x'), [f.batch, ...f.input], true);
  const logits = model.forward(x, { be, tape, training: true, stepSeed: 0 });
  const classes = logits.shape[1]!;
  const loss = be.alloc(1, 'loss');
  const correct = be.alloc(1, 'correct');
  logits.grad = tape.temp(logits.size, 'dLogits');
  be.crossEntropy(f.batch, classes, logits.data, be.upload(f.target, 'target'), loss, logits.grad, correct, f.label_smoothing);
  tape.backward();
  const run: ResidualRun = {
    logits: await be.read(logits.data),
    loss: (await be.read(loss))[0]!,
    gradInput: await be.read(x.grad!),
    grads: new Map(),
    stateAfter: new Map((await readStateDict(model, be)).map((t) => [t.name, t.data])),
    parameterNames: model.parameters().map((p) => p.name),
  };
  for (const p of model.parameters()) run.grads.set(p.name, await be.read(p.grad));
  tape.reset();
  return run;
}

/** Worst |got − want| / (atol/rtol scale) across every compared tensor, with where it was. */
export function worstError(run: ResidualRun, f: ResidualFixture, atol: number, rtol: number): { ratio: number; where: string } {
  let ratio = 0;
  let where = '';
  const check = (got: ArrayLike<number>, want: readonly number[], label: string) => {
    if (got.length !== want.length) throw new Error(`${label}: ${got.length} values, want ${want.length}`);
    for (let i = 0; i < want.length; i++) {
      const r = Math.abs(got[i]! - want[i]!) / (atol + rtol * Math.abs(want[i]!));
      if (!(r <= ratio)) { ratio = Number.isNaN(r) ? Infinity : r; where = `${label}[${i}]: got ${got[i]}, want ${want[i]}`; }
    }
  };
  check(run.logits, f.expected.logits.data, 'logits');
  check([run.loss], [f.expected.loss], 'loss');
  check(run.gradInput, f.expected.grad_input.data, 'grad_input');
  for (const g of f.expected.grads) check(run.grads.get(g.name) ?? [], g.data, `grad ${g.name}`);
  for (const s of f.expected.state_after) check(run.stateAfter.get(s.name) ?? [], s.data, `state ${s.name}`);
  return { ratio, where };
}
