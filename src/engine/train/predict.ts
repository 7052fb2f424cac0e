// Inference with a trained model: build the Sequential, load a state_dict, run the forward
// pass in evaluation mode and read the logits back.

import { Tape } from '../autograd/tape';
import { Tensor } from '../autograd/tensor';
import type { Backend } from '../backend';
import type { ModelSpec } from '../model/spec';
import { Sequential } from '../nn/sequential';
import { loadStateDict } from '../nn/stateDict';
import type { NamedTensor } from './types';

export async function predict<B>(be: Backend<B>, spec: ModelSpec, weights: readonly NamedTensor[], input: Float32Array, batch: number): Promise<Float64Array> {
  const model = new Sequential(spec, be, 0);
  loadStateDict(model, be, weights);
  const tape = new Tape(be, false);
  const x = be.upload(input, 'predict-input');
  const logits = model.forward(new Tensor(x, [batch, ...spec.input], false), { be, tape, training: false, stepSeed: 0 });
  const out = await be.read(logits.data);
  be.release(x);
  tape.reset();
  return out;
}
