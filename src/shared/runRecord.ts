// What a run records, defined once for every writer (the CLI, the app's worker, the exported
// PyTorch project follows the same rules; see docs/formats/run.md): checkpoint names, the
// summary keys, the preprocessing object, and the config block of the manifest.
//
// Pure data and functions: no Node imports, so the engine's training session, the services and
// the renderer all use the same definitions.
import { z } from 'zod';

// --- checkpoints --------------------------------------------------------------------------------

/** The weights with the highest validation accuracy so far (ties: the lower validation loss). */
export const BEST_CHECKPOINT = 'best';
/** The newest weights; its optimizer state (`last-optimizer`) is what a resume continues from. */
export const LAST_CHECKPOINT = 'last';

/** The weights at the end of epoch N (1-based). */
export function epochCheckpoint(epoch: number): string {
  return `epoch-${epoch}`;
}

/** The optimizer state saved beside a model checkpoint, for resuming. */
export function optimizerCheckpoint(name: string): string {
  return `${name}-optimizer`;
}

export function isOptimizerCheckpoint(name: string): boolean {
  return name.endsWith('-optimizer');
}

/** `format` metadata of the two kinds of checkpoint file. */
export const MODEL_CHECKPOINT_FORMAT = 'pytorch-state-dict';
export const OPTIMIZER_CHECKPOINT_FORMAT = 'convlab-optimizer-state';

// --- preprocessing ------------------------------------------------------------------------------

/** The `__metadata__` key (safetensors) and `metadata_props` key (ONNX) of the preprocessing. */
export const PREPROCESSING_KEY = 'convlab.preprocessing';

export const FIT_MODES = ['resize', 'center-crop', 'pad'] as const;
export type FitMode = (typeof FIT_MODES)[number];

/**
 * How an image becomes the model's input, in the order it is applied: decode → channels (grey or
 * RGB) → fit to H×W → scale to [0, 1] → (x − mean[c]) / std[c]. `classes` names the outputs.
 */
export interface Preprocessing {
  input: [number, number, number];
  fit: FitMode;
  mean: number[];
  std: number[];
  classes: string[];
}

const positiveInt = z.number().int().positive();

export const preprocessingSchema = z
  .strictObject({
    input: z.tuple([z.union([z.literal(1), z.literal(3)]), positiveInt, positiveInt]),
    fit: z.enum(FIT_MODES),
    mean: z.array(z.number()),
    std: z.array(z.number().positive()),
    classes: z.array(z.string().min(1)).min(1),
  })
  .superRefine((p, ctx) => {
    const c = p.input[0];
    if (p.mean.length !== c || p.std.length !== c) ctx.addIssue({ code: 'custom', message: `mean and std need ${c} values (one per channel)` });
    if (new Set(p.classes).size !== p.classes.length) ctx.addIssue({ code: 'custom', message: 'class names must be unique' });
  });

/** Parses a preprocessing object (from a manifest or a file's metadata), naming what is wrong. */
export function parsePreprocessing(value: unknown, where: string): Preprocessing {
  const parsed = preprocessingSchema.safeParse(value);
  if (!parsed.success) {
    const why = parsed.error.issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new Error(`${where}: not a valid ${PREPROCESSING_KEY} object (${why})`);
  }
  return parsed.data as Preprocessing;
}

/** Metadata of a model checkpoint file: its place in training and how to feed it. */
export function modelCheckpointMetadata(at: { epoch: number; step: number }, preprocessing: Preprocessing | null): Record<string, string> {
  return {
    format: MODEL_CHECKPOINT_FORMAT,
    epoch: String(at.epoch),
    step: String(at.step),
    ...(preprocessing ? { [PREPROCESSING_KEY]: JSON.stringify(preprocessing) } : {}),
  };
}

export function optimizerCheckpointMetadata(at: { epoch: number; step: number }): Record<string, string> {
  return { format: OPTIMIZER_CHECKPOINT_FORMAT, epoch: String(at.epoch), step: String(at.step) };
}

// --- summary ------------------------------------------------------------------------------------

/**
 * The manifest's `summary`: the headline numbers, merged as training goes. Every key is optional
 * (older runs, runs that failed early); writers set only these, readers tolerate others.
 */
export interface RunSummary {
  /** Epochs and steps done so far. */
  epoch?: number;
  step?: number;
  trainLoss?: number;
  /** Of the newest validation pass. */
  valLoss?: number;
  valAccuracy?: number;
  /** The best validation accuracy so far, the epoch it was reached at and its loss. */
  bestValAccuracy?: number;
  bestValLoss?: number;
  bestEpoch?: number;
  /** Names of the checkpoints `best` and `last` refer to when they exist. */
  bestCheckpoint?: string;
  lastCheckpoint?: string;
  imagesPerSecond?: number;
  /** Totals at the end. */
  epochs?: number;
  steps?: number;
  /** The stored evaluation (evaluations/<name>.json) of the best weights on the validation split. */
  evaluation?: string;
  /** Why training ended early: early stopping, a step cap. */
  stopReason?: string;
  divergence?: string;
  error?: string;
}

/** Is validation result `a` better than the best so far? Higher accuracy; ties → lower loss. */
export function isBetterValidation(a: { accuracy: number; loss: number }, best: { accuracy: number; loss: number } | null): boolean {
  if (!Number.isFinite(a.accuracy)) return false;
  if (best === null || !Number.isFinite(best.accuracy)) return true;
  if (a.accuracy !== best.accuracy) return a.accuracy > best.accuracy;
  return Number.isFinite(a.loss) && (!Number.isFinite(best.loss) || a.loss < best.loss);
}

// --- config -------------------------------------------------------------------------------------

/**
 * The manifest's `config`: where the data came from (the --data value or dataset id), the model
 * text, the engine's TrainConfig (with the full spec), the backend, and the conv algorithm asked
 * for (it changes speed, not results: recorded so a comparison explains a difference in images/s).
 */
export interface RunConfigRecord {
  data: string;
  model: string;
  train: Record<string, unknown> & { spec: unknown };
  backend: 'webgpu' | 'cpu';
  convAlgorithm: string;
  /** Set when the run is one of a sweep's (docs/formats/sweep.md): which, and its parameters. */
  sweep?: SweepMembership;
}

export interface SweepMembership {
  id: string;
  /** The run's place in the sweep's list of parameter sets (0-based). */
  index: number;
  params: Record<string, string | number | boolean>;
}

/** The tag every run of a sweep carries, so a filter finds them. */
export function sweepTag(sweepId: string): string {
  return `sweep:${sweepId}`;
}
