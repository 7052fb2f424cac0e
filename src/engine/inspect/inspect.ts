// Inspection: a forward pass in evaluation mode that keeps every module's output, and with a
// target one backward pass for the gradient of a class score (or of the loss for the true label)
// with respect to the input and to every module's output. One implementation for `convlab
// inspect`, the app's GPU worker and the tests (the CPU backend's float64 twins).
//
// Everything stays on the device until the end: the images are normalised there by the same
// gatherBatch training uses, the forward runs with training = false (running statistics, no
// dropout) but a RECORDING tape, the captured outputs and gradients and the conv weights are
// copied into one buffer, and that buffer is read back once.

import { Tape } from '../autograd/tape';
import { Tensor } from '../autograd/tensor';
import type { Backend } from '../backend';
import type { DeviceImages } from '../eval/logits';
import { forwardLayers } from '../nn/layerList';
import { Conv2dLayer } from '../nn/conv2d';
import type { Sequential } from '../nn/sequential';
import { type CapturedModule, capturingLayers } from './capture';
import type { GradTarget, InspectedConv, InspectedModule, InspectedTensor, Inspection } from './types';

/** The work of one inspection recorded on the device; read() submits it and reads it back once. */
export interface RecordedInspection {
  read(): Promise<Inspection>;
  /** Hands the buffers back without reading (the benchmark times the recording alone). */
  discard(): void;
}

/** A slice of the readback buffer: where a tensor was copied to. */
interface Slot {
  offset: number;
  length: number;
}

/** Records the inspection of images 0..count−1 of `source` (uint8 on the device). */
export function recordInspection<B>(be: Backend<B>, model: Sequential<B>, source: DeviceImages<B>, count: number, target: GradTarget | null): RecordedInspection {
  const { channels, height, width, mean, std } = source;
  if (!Number.isInteger(count) || count < 1) throw new Error(`inspect: give at least one image (got ${count})`);
  if (target) checkTarget(target, count);
  const tape = new Tape(be, target !== null);
  be.setScope({ layer: 'data', phase: 'data' });
  const ids = be.uploadU32(Uint32Array.from({ length: count }, (_, i) => i), 'inspect-indices');
  const x = tape.temp(count * channels * height * width, 'inspect-images');
  be.gatherBatch({ count, channels, height, width, mean, std }, source.images, ids, x);
  // requiresGrad: the first layer then runs its grad-input, which is the saliency map.
  const input = new Tensor(x, [count, channels, height, width], true);
  const captured: CapturedModule<B>[] = [];
  const logits = forwardLayers(capturingLayers(model.layers, captured), input, { be, tape, training: false, stepSeed: 0 });
  const classes = logits.shape[1] ?? 0;
  if (logits.shape.length !== 2) throw new Error(`inspect: the model's output is (${logits.shape.join(', ')}), not (N, classes) logits`);
  if (target) {
    logits.grad = seedGradient(be, tape, logits, target, count, classes);
    tape.backward();
  }

  // Copy what is read back into one buffer, in a fixed order, and remember where each went.
  const slots: Array<{ from: B; slot: Slot }> = [];
  let total = 0;
  const place = (t: B | null, length: number): Slot | null => {
    if (t === null) return null;
    const slot = { offset: total, length };
    slots.push({ from: t, slot });
    total += length;
    return slot;
  };
  const tensorSlots = (t: Tensor<B>) => ({ shape: [...t.shape], data: place(t.data, t.size)!, grad: place(t.grad, t.size) });
  const inputSlots = tensorSlots(input);
  const names = new Map<Tensor<B>, string>([[input, 'input']]);
  const moduleSlots = captured.map((m) => {
    const from = names.get(m.input);
    if (from === undefined) throw new Error(`inspect: module ${m.path} reads a tensor no module produced`);
    names.set(m.output, m.path);
    const conv = m.layer instanceof Conv2dLayer ? convSlots(m.layer, m.input.shape) : null;
    return { path: m.path, type: m.type, input: from, output: tensorSlots(m.output), conv };
  });
  function convSlots(layer: Conv2dLayer<B>, inputShape: readonly number[]) {
    const { pad, conv } = layer.split([1, ...inputShape.slice(1)]);
    const size = layer.weight.shape.reduce((a, b) => a * b, 1);
    return {
      pad, geometry: conv, weightShape: [...layer.weight.shape],
      weight: place(layer.weight.data, size)!, dWeight: target ? place(layer.weight.grad, size) : null,
      bias: layer.bias ? place(layer.bias.data, layer.bias.shape[0]!) : null,
    };
  }
  const out = be.alloc(Math.max(1, total), 'inspect-readback');
  be.setScope({ layer: 'inspect', phase: 'metrics' });
  for (const { from, slot } of slots) be.copy(from, 0, out, slot.offset, slot.length);
  be.setScope(null);
  be.release(ids);
  tape.reset();

  return {
    discard: () => be.release(out),
    async read(): Promise<Inspection> {
      let all: Float64Array;
      try {
        all = await be.read(out);
      } finally {
        be.release(out);
      }
      const take = (s: Slot | null): Float64Array | null => (s ? all.slice(s.offset, s.offset + s.length) : null);
      const tensor = (t: { shape: number[]; data: Slot; grad: Slot | null }): InspectedTensor => ({ shape: t.shape, data: take(t.data)!, grad: take(t.grad) });
      const modules: InspectedModule[] = moduleSlots.map((m) => {
        const module: InspectedModule = { path: m.path, type: m.type, input: m.input, output: tensor(m.output) };
        if (m.conv) {
          const c = m.conv;
          const conv: InspectedConv = { pad: c.pad, geometry: c.geometry, weight: { shape: c.weightShape, data: take(c.weight)!, grad: take(c.dWeight) }, bias: take(c.bias) };
          module.conv = conv;
        }
        return module;
      });
      const last = modules[modules.length - 1];
      return { count, input: tensor(inputSlots), modules, logits: last ? last.output.data : new Float64Array(0), target };
    },
  };
}

/** Inspects images 0..count−1 of `source` and reads the result back. */
export async function inspect<B>(be: Backend<B>, model: Sequential<B>, source: DeviceImages<B>, count: number, target: GradTarget | null): Promise<Inspection> {
  return recordInspection(be, model, source, count, target).read();
}

function checkTarget(target: GradTarget, count: number): void {
  const list = target.kind === 'class' ? target.classes : target.labels;
  if (list.length !== count) throw new Error(`inspect: the gradient target names ${list.length} classes for ${count} images`);
}

/** d(target)/d(logits) per image: a one-hot row for a class score; softmax − onehot for the
 *  image's own cross-entropy loss (the kernel's batch mean, times N, so each image's gradient
 *  does not depend on how many were inspected with it). */
function seedGradient<B>(be: Backend<B>, tape: Tape<B>, logits: Tensor<B>, target: GradTarget, count: number, classes: number): B {
  const check = (c: number, i: number) => {
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw new Error(`inspect: class ${c} of image ${i} is not below the model's ${classes} classes`);
  };
  be.setScope({ layer: 'inspect', phase: 'loss' });
  if (target.kind === 'class') {
    const seed = new Float32Array(count * classes);
    target.classes.forEach((c, i) => {
      check(c, i);
      seed[i * classes + c] = 1;
    });
    const d = tape.temp(seed.length, 'inspect-dLogits');
    const uploaded = be.upload(seed, 'inspect-seed');
    be.copy(uploaded, 0, d, 0, seed.length);
    be.release(uploaded);
    return d;
  }
  target.labels.forEach(check);
  const labels = be.upload(Float32Array.from(target.labels), 'inspect-labels');
  const loss = tape.temp(1, 'inspect-loss');
  const correct = tape.temp(1, 'inspect-correct');
  const mean = tape.temp(count * classes, 'inspect-dLogits-mean');
  be.crossEntropy(count, classes, logits.data, labels, loss, mean, correct);
  const d = tape.temp(count * classes, 'inspect-dLogits');
  be.fill(count * classes, 0, d);
  be.scaleAdd(count * classes, count, mean, d);
  be.release(labels);
  return d;
}
