// Keeping every module's output of one forward pass without touching the layers' code: the model's
// tree is rebuilt with each module wrapped in a Capturing layer that calls the module's own
// forward and notes the Tensor it received and the one it returned. The tape's closures are the
// modules' own, so after backward() each noted Tensor's .grad is d(target)/d(that output).
//
// Wrapping also switches off the ReLU + max-pool fusion of forwardLayers (it looks for a
// ReluLayer followed by a MaxPool2dLayer, and a wrapper is neither), so the ReLU's own output is
// kept as PyTorch's nn.ReLU module would return it. The unfused pair computes the same pool
// output and gradients bit for bit (MaxPool2dLayer.forwardAfterRelu says why), so what is shown
// is what training computes.
//
// A residual block is rebuilt around wrapped branches and wrapped itself: its body and shortcut
// modules are noted as they run, the block's sum after them (execution order).

import type { Tensor } from '../autograd/tensor';
import type { Buffer, ForwardContext, Layer, Parameter } from '../nn/layer';
import { ResidualBlock } from '../nn/residual';

export interface CapturedModule<B> {
  /** The state_dict path: '3', '4.body.0'. */
  path: string;
  type: string;
  /** The module itself (for a block: the rebuilt block around wrapped branches). */
  layer: Layer<B>;
  input: Tensor<B>;
  output: Tensor<B>;
}

class Capturing<B> implements Layer<B> {
  constructor(readonly inner: Layer<B>, private readonly sink: CapturedModule<B>[]) {}
  get path(): string {
    return this.inner.path;
  }
  get type(): string {
    return this.inner.type;
  }
  parameters(): Parameter<B>[] {
    return this.inner.parameters();
  }
  buffers(): Buffer<B>[] {
    return this.inner.buffers();
  }
  outputShape(input: readonly number[]): number[] {
    return this.inner.outputShape(input);
  }
  forward(x: Tensor<B>, ctx: ForwardContext<B>): Tensor<B> {
    const y = this.inner.forward(x, ctx);
    this.sink.push({ path: this.inner.path, type: this.inner.type, layer: this.inner, input: x, output: y });
    return y;
  }
}

/** `layers` (a Sequential's, or a block's branch) with every module, nested ones too, wrapped so
 *  that running them pushes each module's input and output onto `sink`, in execution order. The
 *  wrapped layers share the originals' parameters: nothing is copied. */
export function capturingLayers<B>(layers: readonly Layer<B>[], sink: CapturedModule<B>[]): Layer<B>[] {
  return layers.map((layer) => {
    if (layer instanceof ResidualBlock) {
      const block = new ResidualBlock(layer.path, capturingLayers(layer.body, sink), layer.shortcut ? capturingLayers(layer.shortcut, sink) : null);
      return new Capturing<B>(block, sink);
    }
    return new Capturing(layer, sink);
  });
}
