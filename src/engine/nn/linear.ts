// Linear: y = x·Wᵀ + b as one GEMM plus the shared bias kernels, and its backward:
// dX = dY·W, dW = dYᵀ·x, db = Σ_n dY.

import type { Random } from '../../shared/random';
import { Tensor } from '../autograd/tensor';
import type { Backend } from '../backend';
import { linearForwardGemm, linearGradInputGemm, linearGradWeightGemm } from '../linear/gemmPlan';
import { type Buffer, type ForwardContext, type Layer, Parameter, layerName } from './layer';
import { uniformInit } from './init';

export class LinearLayer<B> implements Layer<B> {
  readonly type = 'linear';
  readonly weight: Parameter<B>;
  readonly bias: Parameter<B> | null;

  constructor(readonly path: string, readonly inFeatures: number, readonly outFeatures: number, withBias: boolean, be: Backend<B>, rng: Random) {
    const count = inFeatures * outFeatures;
    this.weight = new Parameter(`${path}.weight`, [outFeatures, inFeatures], be.upload(uniformInit(count, inFeatures, rng), `${path}.weight`), be.zeros(count, `${path}.weight.grad`), 'weight');
    this.bias = withBias
      ? new Parameter(`${path}.bias`, [outFeatures], be.upload(uniformInit(outFeatures, inFeatures, rng), `${path}.bias`), be.zeros(outFeatures, `${path}.bias.grad`), 'bias')
      : null;
  }

  parameters(): Parameter<B>[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }
  buffers(): Buffer<B>[] {
    return [];
  }

  outputShape(input: readonly number[]): number[] {
    if (input.length !== 2) throw new Error(`layer ${this.path} linear receives a ${input.slice(1).join('×')} feature map: add flatten before it`);
    if (input[1] !== this.inFeatures) throw new Error(`layer ${this.path} linear expects ${this.inFeatures} inputs but receives ${input[1]}`);
    return [input[0]!, this.outFeatures];
  }

  forward(x: Tensor<B>, { be, tape }: ForwardContext<B>): Tensor<B> {
    const layer = layerName(this);
    const [n] = this.outputShape(x.shape) as [number, number];
    const { weight, bias, inFeatures, outFeatures } = this;
    const y = tape.temp(n * outFeatures, `${layer}.out`);
    be.setScope({ layer, phase: 'forward' });
    be.gemm(linearForwardGemm(n, inFeatures, outFeatures), x.data, weight.data, y);
    if (bias) be.biasAdd(n, outFeatures, 1, bias.data, y);
    const out = new Tensor(y, [n, outFeatures], true);

    tape.record(() => {
      const dOut = out.grad!;
      if (x.requiresGrad) {
        be.setScope({ layer, phase: 'grad-input' });
        const dX = tape.temp(n * inFeatures, `${layer}.dInput`);
        be.gemm(linearGradInputGemm(n, inFeatures, outFeatures), dOut, weight.data, dX);
        tape.addGrad(x, dX);
      }
      be.setScope({ layer, phase: 'grad-weight' });
      be.gemm(linearGradWeightGemm(n, inFeatures, outFeatures, false), dOut, x.data, weight.grad);
      if (bias) {
        be.setScope({ layer, phase: 'grad-bias' });
        be.biasGrad(n, outFeatures, 1, dOut, bias.grad, false);
      }
    });
    return out;
  }
}
