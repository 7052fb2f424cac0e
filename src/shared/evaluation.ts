// An evaluation of a checkpoint on a set of labelled images (docs/formats/run.md, "evaluations"):
// accuracy, mean loss, top-k, the per-class table and the confusion matrix, plus each image's
// prediction so the app can show the images behind any cell. Stored in a run folder as
// evaluations/<name>.json and carried over the LabApi, so it is plain JSON.
import { z } from 'zod';

export const EVALUATION_FORMAT = 'convlab-evaluation/1';

export interface ClassMetrics {
  class: string;
  /** Of the images predicted as this class, the share that are (0 when none is predicted). */
  precision: number;
  /** Of the images of this class, the share predicted as it (0 when the class has none). */
  recall: number;
  /** Harmonic mean of the two (0 when both are 0). */
  f1: number;
  /** Images of this class in the set. */
  support: number;
}

export interface EvaluationReport {
  format: typeof EVALUATION_FORMAT;
  runId: string;
  checkpoint: string;
  /** What was evaluated: a stored dataset (and which part of it) or files given by path. */
  dataset: { id: string; name: string; split: 'validation' | 'all' };
  createdAt: string;
  n: number;
  accuracy: number;
  /** Mean softmax cross-entropy. */
  loss: number;
  /** Top-k accuracy with k = 5 when there are more than 5 classes, else null. */
  topK: { k: number; accuracy: number } | null;
  classes: string[];
  perClass: ClassMetrics[];
  /** confusion[true][predicted]: rows are the true class, columns the predicted one. */
  confusion: number[][];
  /** One entry per image, in evaluation order: its index in the dataset, true and predicted
   *  class, and the probability the model gave its prediction. */
  samples: { index: number[]; label: number[]; predicted: number[]; confidence: number[] };
}

const count = z.number().int().nonnegative();
const unit = z.number().min(0).max(1);

export const evaluationSchema = z.looseObject({
  format: z.literal(EVALUATION_FORMAT),
  runId: z.string(),
  checkpoint: z.string(),
  dataset: z.looseObject({ id: z.string(), name: z.string(), split: z.enum(['validation', 'all']) }),
  createdAt: z.string(),
  n: count,
  accuracy: unit,
  loss: z.number().nullable(),
  topK: z.strictObject({ k: z.number().int().positive(), accuracy: unit }).nullable(),
  classes: z.array(z.string()),
  perClass: z.array(z.strictObject({ class: z.string(), precision: unit, recall: unit, f1: unit, support: count })),
  confusion: z.array(z.array(count)),
  samples: z.strictObject({ index: z.array(count), label: z.array(count), predicted: z.array(count), confidence: z.array(unit) }),
});

/** Evaluation names in a run folder: the validation evaluation the trainer stores, or one per
 *  dataset and checkpoint ('ds-20261126-173700-ab12.best'). No separators, so never a path. */
export const EVALUATION_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function evaluationName(datasetId: string, split: 'validation' | 'all', checkpoint: string): string {
  // A path given as the dataset keeps its most telling end; the pattern caps names at 128.
  const id = datasetId.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+/, '').slice(-80) || 'files';
  return `${id.replace(/^-+/, '')}.${split}.${checkpoint}`;
}
