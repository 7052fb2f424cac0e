// BatchNorm2d: batch statistics in training (and an update of the running statistics),
// running statistics in evaluation, as PyTorch. Parameters start at weight 1, bias 0.

import { Tensor } from '../autograd/tensor';
import type { Backend } from '../backend';
import { type Buffer, type ForwardContext, type Layer, Parameter, layerName } from './layer';

export class BatchNorm2dLayer<B> implements Layer<B> {
  readonly type = 'batch_norm2d';
  readonly weight: Parameter<B>;
  readonly bias: Parameter<B>;
  readonly runningMean: Buffer<B>;
  readonly runningVar: Buffer<B>;
  /** PyTorch's num_batches_tracked, kept on the CPU (it never enters the math with a momentum). */
  batchesTracked = 0;

  constructor(readonly path: string, readonly channels: number, readonly eps: number, readonly momentum: number, readonly affine: boolean, be: Backend<B>) {
    const c = channels;
    this.weight = new Parameter(`${path}.weight`, [c], be.upload(new Float32Array(c).fill(1), `${path}.weight`), be.zeros(c, `${path}.weight.grad`), 'weight');
    this.bias = new Parameter(`${path}.bias`, [c], be.zeros(c, `${path}.bias`), be.zeros(c, `${path}.bias.grad`), 'bias');
    this.runningMean = { name: `${path}.running_mean`, shape: [c], data: be.zeros(c, `${path}.running_mean`) };
    this.runningVar = { name: `${path}.running_var`, shape: [c], data: be.upload(new Float32Array(c).fill(1), `${path}.running_var`) };
  }

  /** Without affine, weight stays 1 and bias 0 and neither is learned (nor saved). */
  parameters(): Parameter<B>[] {
    return this.affine ? [this.weight, this.bias] : [];
  }
  buffers(): Buffer<B>[] {
    return [this.runningMean, this.runningVar];
  }
  outputShape(input: readonly number[]): number[] {
    if (input.length !== 4 || input[1] !== this.channels) {
      throw new Error(`layer ${this.path} batch_norm2d expects (N, ${this.channels}, H, W) but receives (${input.join(', ')})`);
    }
    return [...input];
  }

  forward(x: Tensor<B>, { be, tape, training }: ForwardContext<B>): Tensor<B> {
    this.outputShape(x.shape);
    const layer = layerName(this);
    const g = { batch: x.shape[0]!, channels: this.channels, pixels: x.shape[2]! * x.shape[3]! };
    const y = tape.temp(x.size, `${layer}.out`);
    be.setScope({ layer, phase: 'forward' });
    if (!training) {
      be.batchNorm2dEval(g, this.eps, x.data, this.weight.data, this.bias.data, this.runningMean.data, this.runningVar.data, y);
      const evalOut = new Tensor(y, x.shape, true);
      // Only a recording tape in evaluation (Inspect's input gradients) runs this. With fixed
      // statistics the layer is affine per channel, so dX = dY·γ/√(var + ε): the eval kernel
      // itself computes that when given dY with mean 0 and β 0. No parameter gradients.
      tape.record(() => {
        if (!x.requiresGrad) return;
        be.setScope({ layer, phase: 'grad-input' });
        const zeros = tape.temp(this.channels, `${layer}.zeros`);
        be.fill(this.channels, 0, zeros);
        const dX = tape.temp(x.size, `${layer}.dInput`);
        be.batchNorm2dEval(g, this.eps, evalOut.grad!, this.weight.data, zeros, zeros, this.runningVar.data, dX);
        tape.addGrad(x, dX);
      });
      return evalOut;
    }
    const saveMean = tape.temp(this.channels, `${layer}.saveMean`);
    const saveInvStd = tape.temp(this.channels, `${layer}.saveInvStd`);
    be.batchNorm2dTrain(g, this.eps, this.momentum, x.data, this.weight.data, this.bias.data, y, saveMean, saveInvStd, this.runningMean.data, this.runningVar.data);
    this.batchesTracked++;
    const out = new Tensor(y, x.shape, true);
    tape.record(() => {
      be.setScope({ layer, phase: 'grad-input' });
      // The kernel computes dX together with dGamma and dBeta; an input without a gradient
      // (BatchNorm as the first layer) still gets a scratch buffer for it.
      const dX = tape.temp(x.size, `${layer}.dInput`);
      be.batchNorm2dBackward(g, x.data, out.grad!, this.weight.data, saveMean, saveInvStd, dX, this.weight.grad, this.bias.grad, false);
      tape.addGrad(x, dX);
    });
    return out;
  }
}
