// The run format, version 1 (docs/formats/run.md): the manifest and metrics record schemas, and
// the one pattern every layer uses to validate run ids and checkpoint names.
//
// Shared by main (the run store validates what it reads and writes) and the renderer (charts read
// metrics records, the runs view reads manifests). Pure: no Node imports, no side effects.
import { z } from 'zod';

export const RUN_FORMAT_VERSION = 1;

/**
 * A run id is its creation time in UTC plus a random suffix: `20261126-173700-ab12cd`. Ids sort
 * by creation time, and the pattern admits no separator or dot, so an id validated with it can
 * never name a path outside the runs folder.
 */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[a-z0-9]{6}$/;

/** Checkpoint names such as `last` or `epoch-3`: no dots or separators, so never a path. */
export const CHECKPOINT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const RUN_STATUSES = ['running', 'completed', 'stopped', 'diverged', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses a writer may end a run with; 'interrupted' is only ever inferred by readers. */
export const FINISH_STATUSES = ['completed', 'stopped', 'diverged', 'failed'] as const;
export type FinishStatus = (typeof FINISH_STATUSES)[number];

export const METRIC_KINDS = ['step', 'epoch', 'event'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

export class RunFormatError extends Error {
  override name = 'RunFormatError';
}

export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID_PATTERN.test(value);
}

export function assertRunId(value: unknown): asserts value is string {
  if (!isRunId(value)) {
    throw new RunFormatError(
      `Invalid run id ${JSON.stringify(value)}: a run id looks like 20261126-173700-ab12cd (date, time, 6 lowercase letters or digits)`,
    );
  }
}

export function assertCheckpointName(value: unknown): asserts value is string {
  if (typeof value !== 'string' || !CHECKPOINT_NAME_PATTERN.test(value)) {
    throw new RunFormatError(
      `Invalid checkpoint name ${JSON.stringify(value)}: use 1-64 letters, digits, '-' or '_' starting with a letter or digit, such as 'last' or 'epoch-3'`,
    );
  }
}

const isoTime = z.iso.datetime({ offset: true });

// Loose objects keep fields this version does not know, so a rewrite (rename, notes, status)
// by an older Conv Lab does not drop what a newer one added.
export const runManifestSchema = z.looseObject({
  formatVersion: z.literal(RUN_FORMAT_VERSION),
  id: z.string().regex(RUN_ID_PATTERN),
  name: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  status: z.enum(RUN_STATUSES),
  /** The training config as the UI or CLI gave it (optimizer, lr, batch size, epochs, ...). */
  config: z.unknown(),
  /** The model spec text the model was built from. */
  modelSpec: z.string(),
  dataset: z.looseObject({ id: z.string(), name: z.string().optional() }),
  /** How to feed the model an image (src/shared/runRecord.ts; docs/formats/run.md). Absent in runs
   *  made before it was recorded; checked with parsePreprocessing where it is used, so a damaged
   *  one is a clear message there rather than an unreadable run. */
  preprocessing: z.unknown().optional(),
  seed: z.number().int(),
  /** GPU adapter info (vendor, architecture, ...) or null when not known. */
  adapter: z.unknown(),
  /** Versions of the app, engine and runtime that trained the run. */
  versions: z.record(z.string(), z.string()),
  /** Latest headline numbers (best accuracy, last loss, epochs done, ...). */
  summary: z.record(z.string(), z.unknown()),
  notes: z.string(),
  tags: z.array(z.string()),
  /** Process id of the writer, and the host it ran on; liveness is judged with both. */
  pid: z.number().int().nullable(),
  host: z.string().nullable(),
  heartbeatAt: isoTime.nullable(),
  endedAt: isoTime.nullable(),
});

export type RunManifest = z.infer<typeof runManifestSchema>;

/**
 * A metrics log line. Only `kind` is required; `step`, `epoch` and `time` (ms since the Unix
 * epoch) are typed when present, and everything else (loss, accuracy, grad norms, kernel timings)
 * is free-form so the training side can grow without a format change.
 */
export const metricsRecordSchema = z.looseObject({
  kind: z.enum(METRIC_KINDS),
  step: z.number().int().nonnegative().optional(),
  epoch: z.number().int().nonnegative().optional(),
  time: z.number().optional(),
});

export type MetricsRecord = z.infer<typeof metricsRecordSchema>;

/** Parses a manifest, throwing a RunFormatError that says which field is wrong. */
export function parseRunManifest(value: unknown, where: string): RunManifest {
  if (value !== null && typeof value === 'object' && 'formatVersion' in value) {
    const v = (value as { formatVersion: unknown }).formatVersion;
    if (typeof v === 'number' && v > RUN_FORMAT_VERSION) {
      throw new RunFormatError(`${where}: run format version ${v} is newer than this Conv Lab reads (${RUN_FORMAT_VERSION}); update Conv Lab to open it`);
    }
  }
  const parsed = runManifestSchema.safeParse(value);
  if (!parsed.success) throw new RunFormatError(`${where}: not a valid run manifest: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function parseMetricsRecord(value: unknown): MetricsRecord {
  const parsed = metricsRecordSchema.safeParse(value);
  if (!parsed.success) {
    throw new RunFormatError(`Invalid metrics record: ${z.prettifyError(parsed.error)} (a record is an object with kind 'step', 'epoch' or 'event')`);
  }
  return parsed.data;
}
