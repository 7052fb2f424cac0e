// The GPU worker's inspect job in messages (protocol.ts lists them with the others): the UI asks
// for one prepared image of a run and a gradient target, the worker answers with the engine's
// Inspection (src/engine/inspect) — every module's output and gradient as Float64Arrays, moved,
// not copied. `requestId` is the UI's: an answer to an older request is dropped there, so the
// page never shows the maps of an image it has moved on from.

import { z } from 'zod';
import type { GradTarget, Inspection } from '../../../engine/inspect/types';
import { CHECKPOINT_NAME_PATTERN, RUN_ID_PATTERN } from '../../../shared/runFormat';

/** 'top': the score of the class the model predicts (found by a forward first). */
export type InspectTargetRequest = { kind: 'top' } | { kind: 'class'; class: number } | { kind: 'loss'; label: number };

export interface InspectMessage {
  type: 'inspect';
  requestId: number;
  runId: string;
  checkpoint?: string;
  /** uint8 CHW pixels at the model's input size (a dataset image, or images.prepare of a file). */
  image: { name: string; pixels: Uint8Array };
  target: InspectTargetRequest;
}

export interface InspectedMessage {
  type: 'inspected';
  requestId: number;
  runId: string;
  checkpoint: string;
  /** The target the gradients are of, resolved ('top' becomes the predicted class). */
  target: GradTarget;
  inspection: Inspection;
}

const positiveInt = z.number().int().positive();
const index = z.number().int().min(0);

export const inspectMessageSchema = z.strictObject({
  type: z.literal('inspect'),
  requestId: positiveInt,
  runId: z.string().regex(RUN_ID_PATTERN, 'must be a run id'),
  checkpoint: z.string().regex(CHECKPOINT_NAME_PATTERN, "must be a checkpoint name such as 'best'").optional(),
  image: z.strictObject({ name: z.string().min(1).max(1024), pixels: z.instanceof(Uint8Array) }),
  target: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('top') }),
    z.strictObject({ kind: z.literal('class'), class: index }),
    z.strictObject({ kind: z.literal('loss'), label: index }),
  ]),
});

const gradTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('class'), classes: z.array(index) }),
  z.strictObject({ kind: z.literal('loss'), labels: z.array(index) }),
]);
const tensor = z.strictObject({ shape: z.array(positiveInt), data: z.instanceof(Float64Array), grad: z.instanceof(Float64Array).nullable() });
const numbers = z.record(z.string(), z.number());
const pad = z.looseObject({ mode: z.enum(['reflect', 'replicate', 'circular']), planes: positiveInt, height: positiveInt, width: positiveInt });

export const inspectedMessageSchema = z.strictObject({
  type: z.literal('inspected'),
  requestId: positiveInt,
  runId: z.string().regex(RUN_ID_PATTERN),
  checkpoint: z.string().min(1),
  target: gradTarget,
  inspection: z.strictObject({
    count: positiveInt,
    input: tensor,
    modules: z.array(z.strictObject({
      path: z.string().min(1), type: z.string().min(1), input: z.string().min(1), output: tensor,
      conv: z.strictObject({ pad: pad.nullable(), geometry: numbers, weight: tensor, bias: z.instanceof(Float64Array).nullable() }).optional(),
    })).min(1),
    logits: z.instanceof(Float64Array),
    target: gradTarget.nullable(),
  }),
});

/** Every array of an answer, to transfer with it. */
export function inspectedArrays(m: InspectedMessage): ArrayBufferView[] {
  const t = (x: { data: Float64Array; grad: Float64Array | null }) => (x.grad ? [x.data, x.grad] : [x.data]);
  const i = m.inspection;
  return [
    ...t(i.input), i.logits,
    ...i.modules.flatMap((mod) => [...t(mod.output), ...(mod.conv ? [...t(mod.conv.weight), ...(mod.conv.bias ? [mod.conv.bias] : [])] : [])]),
  ];
}
