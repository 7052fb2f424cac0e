// batch_norm2d conformance case: F.batch_norm in training or eval through the backend ops the
// BatchNorm2d layer calls. In training the running statistics are updated in place and compared
// after the call; without them (PyTorch's running_mean=None) scratch buffers take the update.

import type { Backend } from '../backend';
import type { ParsedCase } from '../../shared/cases';
import type { Produced } from './runCase';

export async function runBatchNorm2dCase<B>(be: Backend<B>, c: ParsedCase): Promise<Produced> {
  if (c.op !== 'batch_norm2d') throw new Error(`batch_norm2d runner given a ${c.op} case`);
  const { attrs, inputs, expected } = c;
  const [n, ch, h, w] = inputs.input.shape as [number, number, number, number];
  const g = { batch: n, channels: ch, pixels: h * w };
  const size = n * ch * h * w;
  const owned: B[] = [];
  const keep = (t: B): B => (owned.push(t), t);
  const perChannel = (data: Float64Array | undefined, fill: number, label: string): B =>
    keep(data ? be.upload(data, label) : be.upload(new Float64Array(ch).fill(fill), label));
  try {
    const x = keep(be.upload(inputs.input.data, 'case-input'));
    const gamma = perChannel(inputs.weight?.data, 1, 'case-weight');
    const beta = perChannel(inputs.bias?.data, 0, 'case-bias');
    const runningMean = perChannel(inputs.runningMean?.data, 0, 'case-running-mean');
    const runningVar = perChannel(inputs.runningVar?.data, 1, 'case-running-var');
    const y = keep(be.alloc(size, 'case-output'));
    const produced: Produced = {};
    if (!attrs.training) {
      be.batchNorm2dEval(g, attrs.eps, x, gamma, beta, runningMean, runningVar, y);
    } else {
      const saveMean = keep(be.alloc(ch, 'case-save-mean'));
      const saveInvStd = keep(be.alloc(ch, 'case-save-invstd'));
      be.batchNorm2dTrain(g, attrs.eps, attrs.momentum, x, gamma, beta, y, saveMean, saveInvStd, runningMean, runningVar);
      if (c.gradOutput) {
        const dY = keep(be.upload(c.gradOutput.data, 'case-grad-output'));
        const dX = keep(be.alloc(size, 'case-grad-input'));
        const dGamma = keep(be.alloc(ch, 'case-grad-weight'));
        const dBeta = keep(be.alloc(ch, 'case-grad-bias'));
        be.batchNorm2dBackward(g, x, dY, gamma, saveMean, saveInvStd, dX, dGamma, dBeta, false);
        if (expected.gradInput) produced.gradInput = await be.read(dX);
        if (expected.gradWeight) produced.gradWeight = await be.read(dGamma);
        if (expected.gradBias) produced.gradBias = await be.read(dBeta);
      }
    }
    if (expected.output) produced.output = await be.read(y);
    if (expected.runningMean) produced.runningMean = await be.read(runningMean);
    if (expected.runningVar) produced.runningVar = await be.read(runningVar);
    if (!attrs.training && c.gradOutput) await evalGradients(be, c, g, gamma, runningMean, runningVar, x, produced, keep);
    return produced;
  } finally {
    for (const t of owned) be.release(t);
  }
}

/** Eval mode is an affine map per channel, y = γ·x̂ + β with x̂ = (x − mean)/√(var + eps), which
 *  the engine never differentiates (its BatchNorm2d records no backward in eval), so a case's
 *  eval gradients are built from backend ops, each a WGSL kernel on the GPU:
 *  dX = the eval map of dY with mean 0 and β 0 (dY·γ/√(var + eps)); dβ = Σ_{n,l} dY (the bias-grad
 *  reduction); dγ = Σ_{n,l} dY·x̂, with x̂ from the eval map (γ 1, β 0) and the product from
 *  dropout's backward (dX = dY·mask, an elementwise product). */
async function evalGradients<B>(
  be: Backend<B>, c: ParsedCase & { op: 'batch_norm2d' }, g: { batch: number; channels: number; pixels: number },
  gamma: B, runningMean: B, runningVar: B, x: B, produced: Produced, keep: (t: B) => B,
): Promise<void> {
  const { expected, attrs } = c;
  const size = g.batch * g.channels * g.pixels;
  const dY = keep(be.upload(c.gradOutput!.data, 'case-grad-output'));
  const zeros = keep(be.zeros(g.channels, 'case-zeros'));
  if (expected.gradInput) {
    const dX = keep(be.alloc(size, 'case-grad-input'));
    be.batchNorm2dEval(g, attrs.eps, dY, gamma, zeros, zeros, runningVar, dX);
    produced.gradInput = await be.read(dX);
  }
  if (expected.gradBias) {
    const dBeta = keep(be.alloc(g.channels, 'case-grad-bias'));
    be.biasGrad(g.batch, g.channels, g.pixels, dY, dBeta, false);
    produced.gradBias = await be.read(dBeta);
  }
  if (expected.gradWeight) {
    const ones = keep(be.upload(new Float64Array(g.channels).fill(1), 'case-ones'));
    const xHat = keep(be.alloc(size, 'case-x-hat'));
    be.batchNorm2dEval(g, attrs.eps, x, ones, zeros, runningMean, runningVar, xHat);
    const product = keep(be.alloc(size, 'case-grad-times-x-hat'));
    be.dropoutBackward(size, dY, xHat, product);
    const dGamma = keep(be.alloc(g.channels, 'case-grad-weight'));
    be.biasGrad(g.batch, g.channels, g.pixels, product, dGamma, false);
    produced.gradWeight = await be.read(dGamma);
  }
}
