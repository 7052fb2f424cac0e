// max_pool2d, avg_pool2d and adaptive_avg_pool2d(1) conformance cases: forward, and with
// grad_output the grad-input. The global pool runs as the GAP layer does: avg_pool2d with the
// whole plane as its window.

import type { Backend } from '../backend';
import type { ParsedCase } from '../../shared/cases';
import { type Pool2dGeometry, globalPoolGeometry, pool2dGeometry, poolInputElements, poolOutputElements } from '../pool/geometry';
import type { Produced } from './runCase';

function geometryOf(c: ParsedCase): Pool2dGeometry {
  if (c.op === 'max_pool2d') {
    const a = c.attrs;
    return pool2dGeometry(c.inputs.input.shape, { kernelSize: a.kernelSize, stride: a.stride, padding: a.padding, dilation: a.dilation, ceilMode: a.ceilMode });
  }
  if (c.op === 'avg_pool2d') {
    const a = c.attrs;
    return pool2dGeometry(c.inputs.input.shape, { kernelSize: a.kernelSize, stride: a.stride, padding: a.padding, ceilMode: a.ceilMode, countIncludePad: a.countIncludePad });
  }
  if (c.op === 'adaptive_avg_pool2d') return globalPoolGeometry(c.inputs.input.shape);
  throw new Error(`pool runner given a ${c.op} case`);
}

export async function runPool2dCase<B>(be: Backend<B>, c: ParsedCase): Promise<Produced> {
  if (c.op !== 'max_pool2d' && c.op !== 'avg_pool2d' && c.op !== 'adaptive_avg_pool2d') throw new Error(`pool runner given a ${c.op} case`);
  const g = geometryOf(c);
  const owned: B[] = [];
  const keep = (t: B): B => (owned.push(t), t);
  try {
    const x = keep(be.upload(c.inputs.input.data, 'case-input'));
    const y = keep(be.alloc(poolOutputElements(g), 'case-output'));
    // argmax is written by the forward even when only grad_input is compared.
    const argmax = c.op === 'max_pool2d' ? keep(be.alloc(poolOutputElements(g), 'case-argmax')) : null;
    if (argmax) be.maxPool2d(g, x, y, argmax);
    else be.avgPool2d(g, x, y);
    const produced: Produced = {};
    if (c.expected.output) produced.output = await be.read(y);
    if (c.gradOutput && c.expected.gradInput) {
      const dY = keep(be.upload(c.gradOutput.data, 'case-grad-output'));
      const dX = keep(be.alloc(poolInputElements(g), 'case-grad-input'));
      if (argmax) be.maxPool2dBackward(g, dY, argmax, dX);
      else be.avgPool2dBackward(g, dY, dX);
      produced.gradInput = await be.read(dX);
    }
    return produced;
  } finally {
    for (const t of owned) be.release(t);
  }
}
