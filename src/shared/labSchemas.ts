// zod schemas of every LabApi method's arguments, one tuple per method. Both request hosts (Electron
// IPC and the browser-mode WebSocket) validate with these, so the renderer is untrusted input in
// exactly the same way whichever host serves it.
//
// The hosts differ in one deliberate place: file-system paths. Over IPC the renderer may never name
// a path (main opens a file dialog instead), so the 'electron' schemas are strict objects without
// path fields and a smuggled `path` is refused. The browser host has no dialogs and serves only the
// user's own machine behind a token, so its schemas take the paths the user typed.
import { z } from 'zod';
import { BUILTIN_FASHION_MNIST_MINI, DATASET_ID_PATTERN, DatasetNameSchema } from './datasetFormat';
import type { LabArgs, LabMethodName } from './labApi';
import { CHECKPOINT_NAME_PATTERN, FINISH_STATUSES, metricsRecordSchema, RUN_ID_PATTERN } from './runFormat';
import { EVALUATION_NAME_PATTERN, evaluationSchema } from './evaluation';
import { preprocessingSchema } from './runRecord';
import { SWEEP_ID_PATTERN } from './sweepFormat';

export type LabHostKind = 'electron' | 'browser';

/** Caller-chosen import ids: short and plain, since they only ever travel back in events. */
export const IMPORT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const MAX_COMPARE_RUNS = 16;

/** Metrics records per runs.appendMetrics call; the UI sends a batch every ~500 ms, far fewer. */
export const MAX_METRICS_PER_CALL = 5000;
/** Bytes of one image file sent to images.prepare. */
export const MAX_IMAGE_FILE_BYTES = 64 * 2 ** 20;
/** Tensors per checkpoint: a state_dict of a small CNN has tens; this only bounds a bad caller. */
export const MAX_CHECKPOINT_TENSORS = 4096;

const runId = z.string().regex(RUN_ID_PATTERN, 'a run id looks like 20261126-173700-ab12cd');
const datasetId = z.string().regex(DATASET_ID_PATTERN, 'a dataset id looks like ds-20261126-173700-ab12');
const datasetRef = z.union([datasetId, z.literal(BUILTIN_FASHION_MNIST_MINI)]);
const checkpointName = z.string().regex(CHECKPOINT_NAME_PATTERN, "a checkpoint name looks like 'last' or 'epoch-3'");
const evaluationName = z.string().regex(EVALUATION_NAME_PATTERN, "an evaluation name looks like 'builtin-fashion-mnist-mini.validation.best'");
const importId = z.string().regex(IMPORT_ID_PATTERN, 'an import id is 1-64 letters, digits, - or _');
// A path typed by the user in browser mode; the services resolve and check it like a CLI argument.
const userPath = z
  .string()
  .min(1, 'give a path')
  .max(4096, 'a path can be at most 4096 characters')
  .refine((p) => !p.includes('\0'), 'a path cannot contain a NUL character');

/** datasets.scanFolder's answer names its folder by this id, for an import without a second dialog. */
export const SCAN_ID_PATTERN = /^scan-[0-9a-f]{24}$/;

const importBase = {
  importId,
  name: DatasetNameSchema.optional(),
  valFraction: z.number().min(0).lt(1).optional(),
  seed: z.number().int().optional(),
};

const folderFields = {
  ...importBase,
  size: z.number().int().min(1).max(1024).optional(),
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
  fit: z.enum(['resize', 'center-crop', 'pad']).optional(),
};

const exportFields = {
  format: z.enum(['safetensors', 'onnx', 'csv', 'pytorch']),
  checkpoint: z.string().regex(CHECKPOINT_NAME_PATTERN, "a checkpoint name looks like 'last' or 'epoch-3'").optional(),
  kind: z.enum(['step', 'epoch', 'all']).optional(),
};

// Browser mode downloads exports through the browser; a server path is written only when the
// user types one, and then it must be absolute: a relative one would land in whatever folder the
// host happened to be started from.
const absoluteUserPath = userPath.refine(
  (p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'),
  'give an absolute path (such as /home/me/run.safetensors): the file is written on the machine running Conv Lab',
);

function pathSchemas(host: LabHostKind) {
  if (host === 'electron') {
    return {
      importFolder: z.strictObject({ ...folderFields, scanId: z.string().regex(SCAN_ID_PATTERN, 'a scan id comes from datasets.scanFolder').optional() }),
      scanFolder: z.strictObject({}),
      importIdx: z.strictObject(importBase),
      importCifar10: z.strictObject(importBase),
      // The save dialog itself asks before replacing a file, so main sets overwrite, not the renderer.
      export: z.strictObject(exportFields),
    };
  }
  return {
    importFolder: z.strictObject({ ...folderFields, path: userPath }),
    scanFolder: z.strictObject({ path: userPath }),
    importIdx: z.strictObject({ ...importBase, images: userPath, labels: userPath.optional() }),
    importCifar10: z.strictObject({ ...importBase, files: z.array(userPath).min(1).max(64) }),
    export: z.strictObject({ ...exportFields, path: absoluteUserPath, overwrite: z.boolean().optional() }),
  };
}

const jsonObject = z.record(z.string(), z.unknown());
const shortText = z.string().max(200);

const runCreate = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  config: jsonObject,
  modelSpec: z.string().min(1).max(100_000),
  dataset: z.strictObject({ id: datasetRef, name: DatasetNameSchema.optional() }),
  seed: z.number().int(),
  adapter: jsonObject.optional(),
  versions: z.record(shortText, shortText).optional(),
  preprocessing: preprocessingSchema.optional(),
  tags: z.array(z.string().min(1).max(64)).max(64).optional(),
});

// The summary keys a writer may set (src/shared/runRecord.ts); numbers may be NaN (a diverged
// loss), which JSON carries as null.
const maybeNumber = z.number().or(z.nan()).nullable().optional();
const runSummary = z.strictObject({
  epoch: maybeNumber, step: maybeNumber, trainLoss: maybeNumber, valLoss: maybeNumber, valAccuracy: maybeNumber,
  bestValAccuracy: maybeNumber, bestValLoss: maybeNumber, bestEpoch: maybeNumber,
  bestCheckpoint: checkpointName.optional(), lastCheckpoint: checkpointName.optional(),
  imagesPerSecond: maybeNumber, epochs: maybeNumber, steps: maybeNumber,
  stopReason: z.string().max(2000).optional(), divergence: z.string().max(2000).optional(), error: z.string().max(10_000).optional(),
});

// float32 little-endian bytes; the byte count must match the shape so a torn or mislabelled
// tensor is refused before it reaches the safetensors writer.
const checkpointTensor = z
  .strictObject({
    name: z.string().min(1).max(256),
    shape: z.array(z.number().int().min(0).max(2 ** 31)).max(8),
    data: z.instanceof(Uint8Array),
  })
  .refine((t) => t.data.byteLength === t.shape.reduce((a, b) => a * b, 1) * 4, {
    message: 'data must hold exactly shape-product float32 values (4 bytes each)',
  });

const settingsPatch = z.strictObject({
  theme: z.enum(['system', 'light', 'dark']).optional(),
  defaultBatchSize: z.number().int().min(1).max(65536).optional(),
  defaultEpochs: z.number().int().min(1).max(10000).optional(),
  defaultLearningRate: z.number().positive().max(10).optional(),
  samplesPerClass: z.number().int().min(1).max(64).optional(),
});

// sweeps.create: the spec is parsed by the engine's own sweep parser in the service (its messages
// name the part at fault); here only the shape of what every run shares. The service checks
// every run's settings against the dataset before storing anything.
const sweepId = z.string().regex(SWEEP_ID_PATTERN, 'a sweep id looks like sw-20261206-120000-ab12');
const positiveWhole = z.number().int().positive();
const sweepBase = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  data: datasetRef,
  model: z.string().min(1).max(100_000),
  config: z.looseObject({
    spec: z.looseObject({ format: z.string(), input: z.array(positiveWhole).length(3), layers: z.array(z.unknown()) }),
    epochs: positiveWhole.max(100_000),
    batchSize: positiveWhole.max(65_536),
    lr: z.number().positive().max(10),
    optimizer: z.looseObject({ name: z.enum(['sgd', 'adam', 'adamw']) }),
    schedule: z.looseObject({ kind: z.enum(['constant', 'step', 'cosine']) }),
    seed: z.number().int(),
    shuffle: z.boolean(),
    maxSteps: positiveWhole.optional(),
    earlyStop: positiveWhole.optional(),
    labelSmoothing: z.number().min(0).lt(1).optional(),
    augment: jsonObject.optional(),
  }),
  convAlgorithm: z.enum(['auto', 'im2col', 'implicit', 'direct']),
});

/** The full settings object: the same field rules, every field present. */
export const settingsSchema = settingsPatch.required();

export type LabArgSchemas = { [N in LabMethodName]: z.ZodType<LabArgs<N>> };

export function labArgSchemas(host: LabHostKind): LabArgSchemas {
  const paths = pathSchemas(host);
  const schemas = {
    'app.info': z.tuple([]),
    'app.reportAdapter': z.tuple([
      z.strictObject({ vendor: z.string().max(200), architecture: z.string().max(200), description: z.string().max(500), isSoftware: z.boolean(), timestamps: z.boolean() }).nullable(),
    ]),
    'datasets.list': z.tuple([]),
    'datasets.get': z.tuple([datasetId]),
    'datasets.tensors': z.tuple([datasetRef]),
    'datasets.samples': z.tuple([datasetRef, z.number().int().min(1).max(256)]),
    'datasets.images': z.tuple([datasetRef, z.array(z.number().int().min(0)).max(4096)]),
    'datasets.scanFolder': z.tuple([paths.scanFolder]),
    'datasets.importFolder': z.tuple([paths.importFolder]),
    'datasets.importIdx': z.tuple([paths.importIdx]),
    'datasets.importCifar10': z.tuple([paths.importCifar10]),
    'datasets.cancelImport': z.tuple([importId]),
    'datasets.rename': z.tuple([datasetId, DatasetNameSchema]),
    'datasets.delete': z.tuple([datasetId]),
    'runs.list': z.tuple([]),
    'runs.create': z.tuple([runCreate]),
    'runs.appendMetrics': z.tuple([runId, z.array(metricsRecordSchema).max(MAX_METRICS_PER_CALL)]),
    'runs.saveCheckpoint': z.tuple([
      runId,
      checkpointName,
      z.array(checkpointTensor).min(1).max(MAX_CHECKPOINT_TENSORS),
      z.record(shortText, z.string().max(10_000)).optional(),
    ]),
    'runs.reopen': z.tuple([runId]),
    'runs.updateSummary': z.tuple([runId, runSummary]),
    'runs.finish': z.tuple([runId, z.enum(FINISH_STATUSES), jsonObject.optional()]),
    'runs.readCheckpoint': z.tuple([runId, checkpointName]),
    'runs.saveEvaluation': z.tuple([runId, evaluationName, evaluationSchema]),
    'runs.evaluations': z.tuple([runId]),
    'runs.evaluation': z.tuple([runId, evaluationName]),
    'runs.model': z.tuple([runId, checkpointName.optional()]),
    'runs.evalData': z.tuple([runId, datasetRef.optional()]),
    'images.prepare': z.tuple([
      z.strictObject({ name: z.string().min(1).max(1024), bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_IMAGE_FILE_BYTES, `an image file can be at most ${MAX_IMAGE_FILE_BYTES / 2 ** 20} MiB`) }),
      preprocessingSchema,
    ]),
    'runs.get': z.tuple([runId]),
    'runs.metrics': z.tuple([runId]),
    'runs.checkpoints': z.tuple([runId]),
    'runs.rename': z.tuple([runId, z.string().min(1).max(200)]),
    'runs.setNotes': z.tuple([runId, z.string().max(100_000)]),
    'runs.setTags': z.tuple([runId, z.array(z.string().min(1).max(64)).max(64)]),
    'runs.delete': z.tuple([runId]),
    'runs.compare': z.tuple([
      z.array(runId).min(1).max(MAX_COMPARE_RUNS),
      z.strictObject({ align: z.enum(['step', 'epoch', 'time']) }),
    ]),
    'runs.export': z.tuple([runId, paths.export]),
    'settings.get': z.tuple([]),
    'settings.set': z.tuple([settingsPatch]),
    'sweeps.create': z.tuple([jsonObject, sweepBase]),
    'sweeps.list': z.tuple([]),
    'sweeps.get': z.tuple([sweepId]),
    'sweeps.runs': z.tuple([sweepId]),
  } satisfies { [N in LabMethodName]: z.ZodType };
  // zod's inferred optional fields (`x?: T | undefined`) are what LabArgs declares; the cast only
  // bridges zod's generic types; `satisfies` above checks that every method has exactly one schema.
  return schemas as unknown as LabArgSchemas;
}

/** One readable sentence from a failed parse, naming the method and each bad argument. */
export function describeArgIssues(method: string, error: z.ZodError): string {
  const issues = error.issues
    .slice(0, 5)
    .map((issue) => `argument ${issue.path.join('.') || '(all)'}: ${issue.message}`)
    .join('; ');
  return `Invalid arguments for lab.${method}: ${issues}.`;
}
