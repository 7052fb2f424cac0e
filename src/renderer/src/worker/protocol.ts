// The messages between the UI thread and the training worker (trainWorker.ts), typed both ways
// and validated on arrival: the worker treats the UI's messages as input it checks before it
// touches the GPU, and the UI checks what comes back before it reaches the stores and charts.
//
//   UI → worker   start (config + dataset, buffers transferred; optional conv algorithm, run name,
//                 run to resume), startFetching (the same, but the worker fetches the dataset
//                 itself: browser mode), pause, resume, stop, selfTest (the conformance cases),
//                 workedExample (the im2col step-through), labReply (an answer to a lab call)
//   worker → UI   adapter, started (with the run id), state (tuning first, then running/paused/
//                 stopping), kernels (which conv kernel each layer and phase runs, and why), steps
//                 (batched), epoch, checkpoint (its name, once saved), done, error, selfTestCase,
//                 selfTestDone, workedExample, lab (a LabApi call the UI thread makes for the
//                 worker: the session writes its run this way, see src/renderer/src/lab/workerLab.ts)
//
// Steps travel in small batches (every ~50 ms) rather than one message each: a fast GPU finishes
// hundreds of steps a second, and the UI only redraws once per animation frame anyway.

import { z } from 'zod';
import { type SweepFromWorker, sweepFromWorkerSchemas, sweepIdSchema } from './sweepMessages';
import type { ConvAlgorithm } from '../../../engine/backend';
import type { EpochMetrics, StepMetrics, TrainConfig, TrainSummary } from '../../../engine/train/types';
import { augmentProblem } from '../../../engine/train/augment';
import type { TuneChoice } from '../../../engine/webgpu/autotune/autotuner';
import type { AdapterSummary } from '../../../engine/webgpu/device';
import type { ConvPhase } from '../../../engine/webgpu/ops/convAlgorithmsChoice';
import { labMethodNames } from '../../../shared/labApi';
import { RUN_ID_PATTERN } from '../../../shared/runFormat';
import type { LabCall, LabReply } from '../lab/workerLab';
import { CHECKPOINT_NAME_PATTERN } from '../../../shared/runFormat';
import { evaluationSchema, type EvaluationReport } from '../../../shared/evaluation';
import { type InspectedMessage, type InspectMessage, inspectedArrays, inspectedMessageSchema, inspectMessageSchema } from './inspectMessages';

/** The dataset as the training session needs it; every array's buffer is transferred, not copied. */
export interface WorkerTrainData {
  id: string;
  name: string;
  /** Class names, in label order. */
  classes: string[];
  /** How a folder import fitted its images (recorded in the run's preprocessing). */
  fit?: 'resize' | 'center-crop' | 'pad';
  images: Uint8Array;
  labels: Uint8Array;
  trainIndices: Uint32Array;
  valIndices: Uint32Array;
  channels: number;
  height: number;
  width: number;
  mean: number[];
  std: number[];
}

/** Browser mode: the LabApi socket the worker opens to fetch the dataset itself (trainData.ts). */
export interface WorkerDataSource {
  labSocketUrl: string;
  datasetId: string;
}

/** What a training start asks for besides the data. `convAlgorithm`: every conv layer's
 *  algorithm, or 'auto' (the default when absent): timed per layer and phase on this adapter, the
 *  choice remembered for the next launch. `resume`: continue that run (its own settings are used;
 *  `config` only contributes maxSteps). */
export interface StartOptions {
  config: TrainConfig;
  convAlgorithm?: ConvAlgorithm;
  name?: string;
  resume?: string;
}

/** A prepared image (LabApi images.prepare) to predict. */
export interface WorkerImage {
  name: string;
  pixels: Uint8Array;
}

export type ToWorker =
  | ({ type: 'start'; data: WorkerTrainData } & StartOptions)
  | ({ type: 'startFetching'; source: WorkerDataSource } & StartOptions)
  /** Run what a stored sweep has left (sweepMessages.ts): the dataset given, or fetched in browser mode. */
  | { type: 'sweep'; sweepId: string; maxRuns?: number; data?: WorkerTrainData; source?: WorkerDataSource }
  /** Evaluate a run's checkpoint (default: best) on its validation split or a stored dataset;
   *  `labSocketUrl` in browser mode, where the worker fetches the images itself. */
  | { type: 'evaluate'; runId: string; checkpoint?: string; dataset?: string; labSocketUrl?: string }
  | { type: 'predict'; runId: string; checkpoint?: string; images: WorkerImage[] }
  /** Every module's output and gradients for one image (inspectMessages.ts). */
  | InspectMessage
  | LabReply
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'selfTest' }
  | { type: 'workedExample' };

/** The jobs the worker runs, one at a time; an error names the job it belongs to (for 'busy':
 *  the job that was refused), so the store that asked is the one that reacts. */
export type WorkerJob = 'train' | 'sweep' | 'selfTest' | 'workedExample' | 'evaluate' | 'predict' | 'inspect';

/** What went wrong, so the UI can say what to do next (and finish the run as 'failed'). */
export type WorkerErrorKind = 'no-webgpu' | 'device-lost' | 'out-of-memory' | 'gpu-error' | 'invalid-message' | 'busy' | 'training';

/** One row of the self-test table. */
export interface SelfTestRow {
  file: string;
  name: string;
  op: string;
  pass: boolean;
  /** Worst |got − expected| over every compared tensor (NaN when the case could not run). */
  worstAbsError: number;
  detail: string;
}

/** A matrix of the worked example as the GPU computed it, with the CPU twin's values beside. */
export interface ExampleMatrix {
  rows: number;
  cols: number;
  gpu: Float64Array;
  cpu: Float64Array;
}

export interface ExampleGemm {
  m: number;
  n: number;
  k: number;
  transA: 'n' | 't';
  transB: 'n' | 't';
}

export interface WorkedExample {
  /** The case's tensors, row-major: input (1, 3, 9, 9), weight (10, 3, 3, 3), gradOutput (1, 10, 3, 3). */
  input: { shape: number[]; data: Float64Array };
  weight: { shape: number[]; data: Float64Array };
  gradOutput: { shape: number[]; data: Float64Array };
  columns: ExampleMatrix;
  forward: ExampleGemm & { result: ExampleMatrix };
  gradInputGemm: ExampleGemm & { result: ExampleMatrix };
  gradWeightGemm: ExampleGemm & { result: ExampleMatrix };
  /** col2im of the gradColumns: the 3×9×9 gradient of the input, as 27 rows (c, h) of 9. */
  gradInput: ExampleMatrix;
  /** Worst |GPU − CPU| over every matrix above. */
  worstGpuCpuDifference: number;
}

/** One conv layer and phase of the training step, with the autotuner's entries that decide its
 *  kernel: the algorithm, the implicit kernels' tile width, and the GEMM tile the im2col path
 *  uses. An entry is null where nothing has decided it yet (e.g. no tile timed under a forced
 *  algorithm: the kernel's default tile runs). */
export interface KernelRow {
  /** The layer's name as the kernel timings call it ('0.conv2d'). */
  layer: string;
  phase: ConvPhase;
  /** False for grad-input of a conv that reads the images: nothing needs that gradient. */
  runs: boolean;
  algorithm: TuneChoice | null;
  tile: TuneChoice | null;
  gemm: TuneChoice | null;
}

export interface KernelReport {
  /** What the user asked for: 'auto' or the forced algorithm. */
  requested: ConvAlgorithm;
  /** The training batch the rows are for (validation batches are other problems, in `others`). */
  batch: number;
  rows: KernelRow[];
  /** Every other choice the backend made for this run: linear layers' GEMMs, validation batch
   *  sizes, … (not the stored choices for shapes this model does not have). */
  others: TuneChoice[];
  /** Why the choices could not be kept for the next launch, if they could not. */
  saveError?: string;
}

export type FromWorker =
  | { type: 'adapter'; adapter: AdapterSummary }
  /** The run exists (`runId`) and training is about to start; `startStep` > 0 when resuming. */
  | { type: 'started'; runId: string; totalSteps: number; stepsPerEpoch: number; startStep: number; parameters: string[] }
  /** 'tuning': timing conv kernels for this adapter before the first step (first use of a shape). */
  | { type: 'state'; state: 'tuning' | 'running' | 'paused' | 'stopping' | 'evaluating' }
  | { type: 'kernels'; report: KernelReport }
  | { type: 'steps'; metrics: StepMetrics[] }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'checkpoint'; name: string }
  | { type: 'done'; runId: string; summary: TrainSummary }
  | { type: 'error'; kind: WorkerErrorKind; message: string; job: WorkerJob | null }
  | { type: 'selfTestCase'; index: number; total: number; row: SelfTestRow }
  | { type: 'selfTestDone'; passed: number; failed: number }
  | { type: 'workedExample'; example: WorkedExample }
  | { type: 'evaluateProgress'; done: number; total: number }
  /** The evaluation is stored in the run as `name`. */
  | { type: 'evaluated'; name: string; report: EvaluationReport; note?: string }
  | { type: 'predicted'; runId: string; checkpoint: string; predictions: Array<{ name: string; top: Array<{ class: string; probability: number }>; logits: number[] }> }
  | InspectedMessage
  | SweepFromWorker
  | LabCall;

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

// --- validation: UI → worker ----------------------------------------------------------------

const positiveInt = z.number().int().positive();
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const optimizerSchema = z.strictObject({
  name: z.enum(['sgd', 'adam', 'adamw']),
  momentum: finite.min(0).max(1),
  dampening: finite.min(0).max(1),
  nesterov: z.boolean(),
  weightDecay: finite.min(0),
  beta1: finite.min(0).lt(1),
  beta2: finite.min(0).lt(1),
  eps: finite.positive(),
});

const scheduleSchema = z.strictObject({
  kind: z.enum(['constant', 'step', 'cosine']),
  stepEpochs: positiveInt,
  gamma: finite.positive(),
  minLr: finite.min(0),
  warmupSteps: z.number().int().min(0),
});

// The model spec itself is checked by the engine's parseJson in the worker (one set of rules).
const configSchema = z.strictObject({
  spec: z.looseObject({ format: z.string(), input: z.array(positiveInt).length(3), layers: z.array(z.unknown()) }),
  epochs: positiveInt.max(100_000),
  batchSize: positiveInt.max(65_536),
  lr: finite.positive().max(10),
  optimizer: optimizerSchema,
  schedule: scheduleSchema,
  seed: z.number().int(),
  maxSteps: positiveInt.optional(),
  shuffle: z.boolean(),
  earlyStop: positiveInt.optional(),
  labelSmoothing: finite.min(0).lt(1).optional(),
  // The engine's own rules (train/augment.ts), so the worker and the CLI refuse the same specs.
  augment: z.record(z.string(), z.unknown()).superRefine((spec, ctx) => {
    const problem = augmentProblem(spec);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).optional(),
});

const dataSchema = z
  .strictObject({
    images: z.instanceof(Uint8Array),
    labels: z.instanceof(Uint8Array),
    trainIndices: z.instanceof(Uint32Array),
    valIndices: z.instanceof(Uint32Array),
    id: z.string().min(1),
    name: z.string(),
    classes: z.array(z.string().min(1)).min(2).max(256),
    fit: z.enum(['resize', 'center-crop', 'pad']).optional(),
    channels: positiveInt,
    height: positiveInt,
    width: positiveInt,
    mean: z.array(finite),
    std: z.array(finite.positive()),
  })
  .superRefine((d, ctx) => {
    const n = d.labels.length;
    const say = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (d.images.length !== n * d.channels * d.height * d.width) say(`images has ${d.images.length} bytes, expected ${n}×${d.channels}×${d.height}×${d.width}`);
    if (d.mean.length !== d.channels || d.std.length !== d.channels) say(`mean and std need one value per channel (${d.channels})`);
    if (d.trainIndices.length === 0) say('the training split is empty: import more images or lower the validation fraction');
    for (const list of [d.trainIndices, d.valIndices]) {
      for (let i = 0; i < list.length; i++) {
        if (list[i]! >= n) {
          say(`split index ${list[i]} is out of range (${n} images)`);
          return;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      if (d.labels[i]! >= d.classes.length) {
        say(`label ${d.labels[i]} of image ${i} is not below the class count ${d.classes.length}`);
        return;
      }
    }
  });

const convAlgorithmSchema = z.enum(['auto', 'im2col', 'implicit', 'direct']);

const checkpointName = z.string().regex(CHECKPOINT_NAME_PATTERN, "must be a checkpoint name such as 'best'");

const startOptions = {
  config: configSchema,
  convAlgorithm: convAlgorithmSchema.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  resume: z.string().regex(RUN_ID_PATTERN, 'must be a run id').optional(),
};

const dataSourceSchema = z.strictObject({ labSocketUrl: z.string().regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL'), datasetId: z.string().min(1) });

const toWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sweep'), sweepId: sweepIdSchema, maxRuns: positiveInt.optional(), data: dataSchema.optional(), source: dataSourceSchema.optional() })
    .refine((m) => (m.data === undefined) !== (m.source === undefined), 'give the dataset (data) or where to fetch it (source), not both'),
  z.strictObject({ type: z.literal('start'), data: dataSchema, ...startOptions }),
  z.strictObject({
    type: z.literal('startFetching'),
    source: z.strictObject({ labSocketUrl: z.string().regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL'), datasetId: z.string().min(1) }),
    ...startOptions,
  }),
  z.strictObject({ type: z.literal('labReply'), id: positiveInt, ok: z.boolean(), result: z.unknown().optional(), error: z.string().optional() }),
  z.strictObject({
    type: z.literal('evaluate'), runId: z.string().regex(RUN_ID_PATTERN, 'must be a run id'), checkpoint: checkpointName.optional(),
    dataset: z.string().min(1).max(200).optional(), labSocketUrl: z.string().regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL').optional(),
  }),
  z.strictObject({
    type: z.literal('predict'), runId: z.string().regex(RUN_ID_PATTERN, 'must be a run id'), checkpoint: checkpointName.optional(),
    images: z.array(z.strictObject({ name: z.string().min(1).max(1024), pixels: z.instanceof(Uint8Array) })).min(1).max(1024),
  }),
  inspectMessageSchema,
  z.strictObject({ type: z.literal('pause') }),
  z.strictObject({ type: z.literal('resume') }),
  z.strictObject({ type: z.literal('stop') }),
  z.strictObject({ type: z.literal('selfTest') }),
  z.strictObject({ type: z.literal('workedExample') }),
]);

/** Checks a message from the UI; throws a ProtocolError naming the first problems. */
export function parseToWorker(value: unknown): ToWorker {
  const parsed = toWorkerSchema.safeParse(value);
  if (!parsed.success) throw new ProtocolError(`The training worker got an invalid message: ${describeIssues(parsed.error)}`);
  return parsed.data as ToWorker;
}

/** Checks a training config with the rules a start message's config meets: the sweep job makes
 *  its runs' configs in the worker, and they must pass what a config from the UI would. */
export function checkTrainConfig(config: unknown, where: string): void {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) throw new ProtocolError(`${where}: ${describeIssues(parsed.error)}`);
}

// --- validation: worker → UI ----------------------------------------------------------------

// Metric numbers may be NaN or ±Infinity (a diverging run is exactly when they are), so these
// schemas check types and shapes, not finiteness.
// (zod's z.number() refuses NaN and ±Infinity, hence the custom check.)
const num = z.custom<number>((v) => typeof v === 'number', 'expected a number (NaN and ±Infinity allowed)');
const numberRecord = z.record(z.string(), num);

const stepSchema = z.looseObject({
  kind: z.literal('step'), step: z.number().int().positive(), epoch: z.number().int().min(0), loss: num, accuracy: num, lr: num,
  imagesPerSecond: num, gradNorms: numberRecord, kernelTimes: numberRecord.optional(), timing: z.enum(['timestamp', 'coarse']), elapsed: num,
});

const epochSchema = z.looseObject({
  kind: z.literal('epoch'), epoch: z.number().int().positive(), step: z.number().int().min(0),
  trainLoss: num, trainAccuracy: num, valLoss: num, valAccuracy: num, seconds: num,
});

const matrix = z.strictObject({ rows: positiveInt, cols: positiveInt, gpu: z.instanceof(Float64Array), cpu: z.instanceof(Float64Array) });
const gemm = { m: positiveInt, n: positiveInt, k: positiveInt, transA: z.enum(['n', 't']), transB: z.enum(['n', 't']), result: matrix };
const tensor = z.strictObject({ shape: z.array(positiveInt), data: z.instanceof(Float64Array) });

const tuneChoice = z.strictObject({
  key: z.string().min(1),
  phase: z.string(),
  choice: z.string().min(1),
  reason: z.enum(['measured', 'cached', 'heuristic']),
  candidates: z.array(z.strictObject({ name: z.string(), ms: num.nullable(), rejected: z.string().optional() })),
});

const kernelReport = z.strictObject({
  requested: convAlgorithmSchema,
  batch: positiveInt,
  rows: z.array(z.strictObject({
    layer: z.string().min(1),
    phase: z.enum(['forward', 'grad-input', 'grad-weight']),
    runs: z.boolean(),
    algorithm: tuneChoice.nullable(),
    tile: tuneChoice.nullable(),
    gemm: tuneChoice.nullable(),
  })),
  others: z.array(tuneChoice),
  saveError: z.string().optional(),
});

const fromWorkerSchema = z.discriminatedUnion('type', [
  ...sweepFromWorkerSchemas,
  z.strictObject({
    type: z.literal('adapter'),
    adapter: z.strictObject({ vendor: z.string(), architecture: z.string(), description: z.string(), isSoftware: z.boolean(), timestamps: z.boolean() }),
  }),
  z.strictObject({
    type: z.literal('started'), runId: z.string().regex(RUN_ID_PATTERN), totalSteps: z.number().int().min(0), stepsPerEpoch: positiveInt,
    startStep: z.number().int().min(0), parameters: z.array(z.string()),
  }),
  z.strictObject({ type: z.literal('state'), state: z.enum(['tuning', 'running', 'paused', 'stopping', 'evaluating']) }),
  z.strictObject({ type: z.literal('kernels'), report: kernelReport }),
  z.strictObject({ type: z.literal('steps'), metrics: z.array(stepSchema).min(1) }),
  z.strictObject({ type: z.literal('epoch'), metrics: epochSchema }),
  z.strictObject({ type: z.literal('checkpoint'), name: z.string().min(1) }),
  z.strictObject({
    type: z.literal('done'),
    runId: z.string().regex(RUN_ID_PATTERN),
    summary: z.looseObject({ status: z.enum(['completed', 'stopped', 'diverged']), epochs: z.number().int(), steps: z.number().int(), trainLoss: num, valLoss: num, valAccuracy: num, imagesPerSecond: num, divergence: z.string().optional(), stopReason: z.string().optional() }),
  }),
  z.strictObject({ type: z.literal('evaluateProgress'), done: z.number().int().min(0), total: z.number().int().min(0) }),
  z.strictObject({ type: z.literal('evaluated'), name: z.string().min(1), report: evaluationSchema, note: z.string().optional() }),
  z.strictObject({
    type: z.literal('predicted'), runId: z.string().regex(RUN_ID_PATTERN), checkpoint: z.string().min(1),
    predictions: z.array(z.strictObject({ name: z.string(), top: z.array(z.strictObject({ class: z.string(), probability: num })), logits: z.array(num) })),
  }),
  inspectedMessageSchema,
  z.strictObject({ type: z.literal('lab'), id: positiveInt, method: z.enum(labMethodNames() as [string, ...string[]]), args: z.array(z.unknown()) }),
  z.strictObject({
    type: z.literal('error'),
    kind: z.enum(['no-webgpu', 'device-lost', 'out-of-memory', 'gpu-error', 'invalid-message', 'busy', 'training']),
    message: z.string(),
    job: z.enum(['train', 'sweep', 'selfTest', 'workedExample', 'evaluate', 'predict', 'inspect']).nullable(),
  }),
  z.strictObject({
    type: z.literal('selfTestCase'), index: z.number().int().min(0), total: positiveInt,
    row: z.strictObject({ file: z.string(), name: z.string(), op: z.string(), pass: z.boolean(), worstAbsError: num, detail: z.string() }),
  }),
  z.strictObject({ type: z.literal('selfTestDone'), passed: z.number().int().min(0), failed: z.number().int().min(0) }),
  z.strictObject({
    type: z.literal('workedExample'),
    example: z.strictObject({
      input: tensor, weight: tensor, gradOutput: tensor, columns: matrix,
      forward: z.strictObject(gemm), gradInputGemm: z.strictObject(gemm), gradWeightGemm: z.strictObject(gemm),
      gradInput: matrix, worstGpuCpuDifference: num,
    }),
  }),
]);

/** Checks a message from the worker; throws a ProtocolError naming the first problems. */
export function parseFromWorker(value: unknown): FromWorker {
  const parsed = fromWorkerSchema.safeParse(value);
  if (!parsed.success) throw new ProtocolError(`The training worker sent an invalid message: ${describeIssues(parsed.error)}`);
  return parsed.data as FromWorker;
}

// --- transfer lists -------------------------------------------------------------------------

/**
 * The buffers to move (not copy) with a message: the dataset on start. The sender's arrays are unusable afterwards, which is the point: a 150 MB dataset
 * is never held twice. A buffer shared by two arrays is listed once (postMessage refuses repeats).
 */
export function transferablesOf(message: ToWorker | FromWorker): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [];
  if (message.type === 'start' || (message.type === 'sweep' && message.data)) {
    const d = message.data!;
    arrays.push(d.images, d.labels, d.trainIndices, d.valIndices);
  }
  if (message.type === 'inspected') arrays.push(...inspectedArrays(message));
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) buffers.add(a.buffer);
  return [...buffers];
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 4)
    .map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`)
    .join('; ');
}
