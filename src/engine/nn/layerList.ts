// What a Sequential and a residual block's branches share: running a list of layers forward (with
// the ReLU + max-pool fusion), and walking the tree of layers down to its leaves.

import type { Tensor } from '../autograd/tensor';
import { ReluLayer } from './activations';
import type { ForwardContext, Layer } from './layer';
import { MaxPool2dLayer } from './pools';
import type { ResidualBlock } from './residual';

export function forwardLayers<B>(layers: readonly Layer<B>[], x: Tensor<B>, ctx: ForwardContext<B>): Tensor<B> {
  let h = x;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const next = layers[i + 1];
    // ReLU then max pool runs as one fused op each way, bit for bit the same (see
    // MaxPool2dLayer.forwardAfterRelu): the separate ReLU passes cost as much as the pool.
    if (layer instanceof ReluLayer && next instanceof MaxPool2dLayer) {
      h = next.forwardAfterRelu(h, layer, ctx);
      i++;
    } else {
      h = layer.forward(h, ctx);
    }
  }
  return h;
}

export function outputShapeOf<B>(layers: readonly Layer<B>[], input: readonly number[]): number[] {
  return layers.reduce<number[]>((s, l) => l.outputShape(s), [...input]);
}

/** A leaf layer (anything but a residual block) with the input shape it receives. */
export interface ModuleAt<B> {
  layer: Layer<B>;
  /** Its input shape for the model input given to modules(). */
  input: number[];
  /** Whether its input is the model's input (whose gradient nobody needs, so it runs no
   *  grad-input): the first layer, and the first layer of both branches of a block there. */
  readsModelInput: boolean;
}

/** Every leaf of the tree, depth first (a block's body, then its shortcut), with its input shape. */
export function modulesOf<B>(layers: readonly Layer<B>[], input: readonly number[], readsModelInput = true): ModuleAt<B>[] {
  const out: ModuleAt<B>[] = [];
  let shape = [...input];
  layers.forEach((layer, i) => {
    const first = readsModelInput && i === 0;
    if (layer.type === 'residual') {
      const block = layer as ResidualBlock<B>;
      out.push(...modulesOf(block.body, shape, first));
      if (block.shortcut) out.push(...modulesOf(block.shortcut, shape, first));
    } else {
      out.push({ layer, input: shape, readsModelInput: first });
    }
    shape = layer.outputShape(shape);
  });
  return out;
}
