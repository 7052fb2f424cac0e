// nn.Sequential built from a model spec: layer i of the spec is layer i here, so parameter
// names are PyTorch's state_dict names ('0.weight', '3.bias', '4.body.0.weight', ...). A
// residual block is one layer whose branches are layer lists of their own; modules() walks the
// tree down to its leaves for whoever needs every conv or batch norm (tuning, the state_dict).

import { Random } from '../../shared/random';
import type { Tensor } from '../autograd/tensor';
import type { Backend } from '../backend';
import type { ModelSpec } from '../model/spec';
import { buildLayers } from './buildLayers';
import type { Buffer, ForwardContext, Layer, Parameter } from './layer';
import { type ModuleAt, forwardLayers, modulesOf, outputShapeOf } from './layerList';

export class Sequential<B> {
  /** The top-level layers, as in the spec (a residual block is one of them). */
  readonly layers: Layer<B>[];

  constructor(readonly spec: ModelSpec, readonly be: Backend<B>, seed: number) {
    // Shapes are walked with a batch of one to learn each layer's input size.
    this.layers = buildLayers(spec.layers, '', [1, ...spec.input], be, new Random(seed));
  }

  parameters(): Parameter<B>[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  buffers(): Buffer<B>[] {
    return this.layers.flatMap((l) => l.buffers());
  }

  /** Every leaf layer, depth first, with the input shape it receives for `input` ([N, C, H, W]). */
  modules(input: readonly number[] = [1, ...this.spec.input]): ModuleAt<B>[] {
    return modulesOf(this.layers, input);
  }

  forward(x: Tensor<B>, ctx: ForwardContext<B>): Tensor<B> {
    return forwardLayers(this.layers, x, ctx);
  }

  outputShape(input: readonly number[]): number[] {
    return outputShapeOf(this.layers, input);
  }
}
