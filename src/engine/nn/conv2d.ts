// Conv2d: SpatialConvolutionMM's forward, and right below it the backward that the tape runs.
// A padding_mode other than zeros pads the input first (pad2d) and convolves the padded input
// with zero padding 0, as PyTorch does; the backward then folds the padded input's gradient back
// (pad2dBackward). See conv/paddingMode.ts.

import type { Random } from '../../shared/random';
import { Tensor } from '../autograd/tensor';
import { type Conv2dGeometry, type Conv2dOptions, conv2dGeometry, inputElements, outputElements, outputShape } from '../conv/geometry';
import type { Backend, Pad2dGeometry, PaddingMode } from '../backend';
import { paddedElements, splitPaddedConv } from '../conv/paddingMode';
import { type Buffer, type ForwardContext, type Layer, Parameter, layerName } from './layer';
import { uniformInit } from './init';

export interface Conv2dLayerOptions extends Conv2dOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: [number, number];
  bias: boolean;
  /** Absent: zeros. */
  paddingMode?: PaddingMode;
}

export class Conv2dLayer<B> implements Layer<B> {
  readonly type = 'conv2d';
  readonly weight: Parameter<B>;
  readonly bias: Parameter<B> | null;

  constructor(readonly path: string, readonly opts: Conv2dLayerOptions, be: Backend<B>, rng: Random) {
    const groups = opts.groups ?? 1;
    const [kh, kw] = opts.kernelSize;
    const shape = [opts.outChannels, opts.inChannels / groups, kh, kw];
    const fanIn = (opts.inChannels / groups) * kh * kw;
    const count = shape.reduce((a, b) => a * b, 1);
    this.weight = new Parameter(`${path}.weight`, shape, be.upload(uniformInit(count, fanIn, rng), `${path}.weight`), be.zeros(count, `${path}.weight.grad`), 'weight');
    this.bias = opts.bias
      ? new Parameter(`${path}.bias`, [opts.outChannels], be.upload(uniformInit(opts.outChannels, fanIn, rng), `${path}.bias`), be.zeros(opts.outChannels, `${path}.bias.grad`), 'bias')
      : null;
  }

  parameters(): Parameter<B>[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }
  buffers(): Buffer<B>[] {
    return [];
  }

  /** The geometry of the convolution the kernels run: with a padding mode, the conv of the
   *  padded input with zero padding (what autotuning and the Kernels panel must see). */
  geometry(input: readonly number[]): Conv2dGeometry {
    return this.split(input).conv;
  }

  /** The pad in front of the conv (null for zeros) and the conv itself. */
  split(input: readonly number[]): { pad: Pad2dGeometry | null; conv: Conv2dGeometry } {
    const g = conv2dGeometry(input, this.weight.shape, this.opts);
    return this.opts.paddingMode ? splitPaddedConv(g, this.opts.paddingMode) : { pad: null, conv: g };
  }

  outputShape(input: readonly number[]): number[] {
    return outputShape(this.geometry(input));
  }

  forward(x: Tensor<B>, { be, tape }: ForwardContext<B>): Tensor<B> {
    const layer = layerName(this);
    const { pad, conv: g } = this.split(x.shape);
    const { weight, bias } = this;
    be.setScope({ layer, phase: 'forward' });
    // The conv reads `input`: x itself, or x padded with the mode.
    let input = x.data;
    if (pad) {
      input = tape.temp(paddedElements(pad), `${layer}.padded`);
      be.pad2d(pad, x.data, input);
    }
    const y = tape.temp(outputElements(g), `${layer}.out`);
    be.conv2dForward(g, input, weight.data, bias?.data ?? null, y);
    const out = new Tensor(y, outputShape(g), true);

    tape.record(() => {
      const dOut = out.grad!;
      if (x.requiresGrad) {
        be.setScope({ layer, phase: 'grad-input' });
        const dX = tape.temp(x.size, `${layer}.dInput`);
        if (pad) {
          const dPadded = tape.temp(inputElements(g), `${layer}.dPadded`);
          be.conv2dBackwardInput(g, dOut, weight.data, dPadded);
          be.pad2dBackward(pad, dPadded, dX);
        } else {
          be.conv2dBackwardInput(g, dOut, weight.data, dX);
        }
        tape.addGrad(x, dX);
      }
      be.setScope({ layer, phase: 'grad-weight' });
      be.conv2dBackwardWeight(g, input, dOut, weight.grad, false);
      if (bias) {
        be.setScope({ layer, phase: 'grad-bias' });
        be.conv2dBackwardBias(g, dOut, bias.grad, false);
      }
    });
    return out;
  }
}
