// Will a batch fit? The largest single buffer of a step is usually a conv's im2col matrix
// (N·C·kh·kw·Ho·Wo floats); WebGPU caps every storage binding at maxStorageBufferBindingSize,
// so that is checked before training starts, and the message names a batch size that fits.

import { leafShapes, type ModelShapes } from '../model/infer';

export interface StepMemory {
  /** Bytes of the largest single buffer and what it is. */
  largestBytes: number;
  largestWhat: string;
  /** Rough bytes of everything a step allocates (activations, their gradients, workspaces). */
  totalBytes: number;
}

export function stepMemory(shapes: ModelShapes): StepMemory {
  const batch = shapes.batch;
  let largestBytes = 0;
  let largestWhat = '';
  let totalBytes = 0;
  const consider = (bytes: number, what: string): void => {
    totalBytes += bytes;
    if (bytes > largestBytes) {
      largestBytes = bytes;
      largestWhat = what;
    }
  };
  // Every leaf module, residual blocks' branches included (a block's own output is its add).
  for (const l of leafShapes(shapes.layers)) {
    const out = l.outputShape.reduce((a, b) => a * b, 1) * batch * 4;
    consider(out, `layer ${l.path} ${l.type} output`);
    consider(out, `layer ${l.path} ${l.type} gradient`);
    if (l.columnMatrix) consider(l.columnMatrix.elementsPerBatch * 4, `layer ${l.path} conv2d im2col matrix`);
  }
  return { largestBytes, largestWhat, totalBytes };
}

/** The largest batch whose every buffer fits in `maxBindingBytes` (at least 1): what a step, or
 *  an evaluation pass (its forward needs the same im2col matrices), can take on this device. */
export function maxFittingBatch(shapes: ModelShapes, maxBindingBytes: number): number {
  const perSample = stepMemory(shapes).largestBytes / shapes.batch;
  return Math.max(1, Math.floor(maxBindingBytes / perSample));
}

/** Throws with the batch size that would fit when a buffer exceeds the device's limit. */
export function checkBatchFits(shapes: ModelShapes, maxBindingBytes: number): void {
  const m = stepMemory(shapes);
  if (m.largestBytes <= maxBindingBytes) return;
  const fits = maxFittingBatch(shapes, maxBindingBytes);
  throw new Error(
    `batch ${shapes.batch} does not fit in GPU memory: the ${m.largestWhat} would take ${mib(m.largestBytes)}, ` +
      `more than this GPU's ${mib(maxBindingBytes)} per-buffer limit. Use --batch ${fits} or less.`,
  );
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
