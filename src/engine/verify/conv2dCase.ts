// conv2d conformance case: forward, and with grad_output the three backward results. A
// padding_mode other than zeros runs as the Conv2d layer runs it: pad2d in front of a conv with
// zero padding, and pad2d's adjoint after the grad-input (conv/paddingMode.ts).

import type { Backend } from '../backend';
import type { ParsedCase } from '../../shared/cases';
import { type PaddingArg, conv2dGeometry, inputElements, outputElements, weightElements } from '../conv/geometry';
import { paddedElements, splitPaddedConv, unpaddedElements } from '../conv/paddingMode';
import type { Produced } from './runCase';

export async function runConv2dCase<B>(be: Backend<B>, c: ParsedCase): Promise<Produced> {
  if (c.op !== 'conv2d') throw new Error(`conv2d runner given a ${c.op} case`);
  const { attrs, inputs, gradOutput, expected } = c;
  const padding: PaddingArg = typeof attrs.padding === 'string' ? attrs.padding : attrs.padding.pair;
  const full = conv2dGeometry(inputs.input.shape, inputs.weight.shape, {
    stride: attrs.stride, dilation: attrs.dilation, groups: attrs.groups, padding,
  });
  const { pad, conv: g } = attrs.paddingMode === 'zeros' ? { pad: null, conv: full } : splitPaddedConv(full, attrs.paddingMode);
  const owned: B[] = [];
  const keep = (t: B): B => (owned.push(t), t);
  try {
    let x = keep(be.upload(inputs.input.data, 'case-input'));
    if (pad) {
      const padded = keep(be.alloc(paddedElements(pad), 'case-padded-input'));
      be.pad2d(pad, x, padded);
      x = padded;
    }
    const w = keep(be.upload(inputs.weight.data, 'case-weight'));
    const b = inputs.bias ? keep(be.upload(inputs.bias.data, 'case-bias')) : null;
    const out = keep(be.alloc(outputElements(g), 'case-output'));
    be.conv2dForward(g, x, w, b, out);
    const produced: Produced = {};
    if (expected.output) produced.output = await be.read(out);
    if (gradOutput) {
      const dOut = keep(be.upload(gradOutput.data, 'case-grad-output'));
      if (expected.gradInput) {
        const dIn = keep(be.alloc(inputElements(g), 'case-grad-input'));
        be.conv2dBackwardInput(g, dOut, w, dIn);
        if (pad) {
          const dUnpadded = keep(be.alloc(unpaddedElements(pad), 'case-grad-input-unpadded'));
          be.pad2dBackward(pad, dIn, dUnpadded);
          produced.gradInput = await be.read(dUnpadded);
        } else {
          produced.gradInput = await be.read(dIn);
        }
      }
      if (expected.gradWeight) {
        const dW = keep(be.zeros(weightElements(g), 'case-grad-weight'));
        be.conv2dBackwardWeight(g, x, dOut, dW, true);
        produced.gradWeight = await be.read(dW);
      }
      if (expected.gradBias) {
        const dB = keep(be.zeros(g.outChannels, 'case-grad-bias'));
        be.conv2dBackwardBias(g, dOut, dB, true);
        produced.gradBias = await be.read(dB);
      }
    }
    return produced;
  } finally {
    for (const t of owned) be.release(t);
  }
}
