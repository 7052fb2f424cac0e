// A residual block: out = body(x) + shortcut(x), the shortcut the identity or its own layers.
// In PyTorch it is this module (docs/formats/model-spec.md), so its state_dict names are
// `<i>.body.<j>.weight` and `<i>.shortcut.<j>.running_mean`:
//
//   class Residual(nn.Module):
//       def __init__(self, body, shortcut=None):
//           super().__init__()
//           self.body, self.shortcut = body, shortcut
//       def forward(self, x):
//           return self.body(x) + (x if self.shortcut is None else self.shortcut(x))
//
// The block's input is used twice; the tape sums the two gradients it receives (Tape.addGrad).

import { Tensor } from '../autograd/tensor';
import type { Buffer, ForwardContext, Layer, Parameter } from './layer';
import { layerName } from './layer';
import { forwardLayers, outputShapeOf } from './layerList';

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

export class ResidualBlock<B> implements Layer<B> {
  readonly type = 'residual';

  constructor(readonly path: string, readonly body: Layer<B>[], readonly shortcut: Layer<B>[] | null) {}

  parameters(): Parameter<B>[] {
    return [...this.body, ...(this.shortcut ?? [])].flatMap((l) => l.parameters());
  }
  buffers(): Buffer<B>[] {
    return [...this.body, ...(this.shortcut ?? [])].flatMap((l) => l.buffers());
  }

  outputShape(input: readonly number[]): number[] {
    const body = outputShapeOf(this.body, input);
    const shortcut = this.shortcut ? outputShapeOf(this.shortcut, input) : [...input];
    if (!sameShape(body, shortcut)) {
      throw new Error(`layer ${this.path} residual: the body gives (${body.join(', ')}) but the ${this.shortcut ? 'shortcut' : 'identity shortcut (the block input)'} gives (${shortcut.join(', ')})`);
    }
    return body;
  }

  forward(x: Tensor<B>, ctx: ForwardContext<B>): Tensor<B> {
    const { be, tape } = ctx;
    const fromBody = forwardLayers(this.body, x, ctx);
    const fromShortcut = this.shortcut ? forwardLayers(this.shortcut, x, ctx) : x;
    this.outputShape(x.shape);
    const layer = layerName(this);
    const n = fromBody.size;
    // out = body + shortcut into a new buffer: the body's last output may still be read by its
    // own backward (ReLU's mask), so it is not added to in place.
    const y = tape.temp(n, `${layer}.out`);
    be.setScope({ layer, phase: 'forward' });
    be.copy(fromBody.data, 0, y, 0, n);
    be.scaleAdd(n, 1, fromShortcut.data, y);
    const out = new Tensor(y, fromBody.shape, true);
    tape.record(() => {
      // d(a + b)/da = d(a + b)/db = 1: both branches get out's gradient as it is.
      tape.addGrad(fromBody, out.grad!);
      tape.addGrad(fromShortcut, out.grad!);
    });
    return out;
  }
}
