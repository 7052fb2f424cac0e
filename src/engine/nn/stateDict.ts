// A Sequential's state_dict in PyTorch's naming, out of and back into the device: every leaf
// layer of the tree (residual blocks included), in the order PyTorch's state_dict lists them.

import type { Backend } from '../backend';
import type { NamedTensor } from '../train/types';
import { BatchNorm2dLayer } from './batchNorm2d';
import type { Sequential } from './sequential';

export async function readStateDict<B>(model: Sequential<B>, be: Backend<B>): Promise<NamedTensor[]> {
  const out: NamedTensor[] = [];
  for (const { layer } of model.modules()) {
    for (const t of [...layer.parameters(), ...layer.buffers()]) {
      out.push({ name: t.name, shape: [...t.shape], data: Float32Array.from(await be.read(t.data)) });
    }
    if (layer instanceof BatchNorm2dLayer) out.push({ name: `${layer.path}.num_batches_tracked`, shape: [], data: Float32Array.of(layer.batchesTracked) });
  }
  return out;
}

/** Replace the model's weights with a checkpoint's; every tensor must be there with its shape. */
export function loadStateDict<B>(model: Sequential<B>, be: Backend<B>, tensors: readonly NamedTensor[]): void {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  for (const { layer } of model.modules()) {
    for (const t of [...layer.parameters(), ...layer.buffers()]) {
      const old = t.data;
      t.data = be.upload(pick(byName, t.name, t.shape), t.name);
      be.release(old);
    }
    if (layer instanceof BatchNorm2dLayer) layer.batchesTracked = byName.get(`${layer.path}.num_batches_tracked`)?.data[0] ?? 0;
  }
}

export function pick(map: Map<string, NamedTensor>, name: string, shape: readonly number[]): Float32Array {
  const t = map.get(name);
  if (!t) throw new Error(`the checkpoint has no tensor "${name}" (it has ${[...map.keys()].slice(0, 8).join(', ')}${map.size > 8 ? ', …' : ''})`);
  const want = shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== want) throw new Error(`checkpoint tensor "${name}" has shape [${t.shape.join(', ')}] but the model needs [${shape.join(', ')}]`);
  return t.data;
}
