// Shaping an evaluation report for the panel: the confusion matrix by counts or normalised by row,
// the most confused pairs, the images behind one cell, and the per-class table's sort. Pure and
// unit-tested; the components only draw what these return.
import type { ClassMetrics, EvaluationReport } from '../../../../shared/evaluation';

/** Each row divided by its sum (the share of a true class predicted as each class); 0 for an empty row. */
export function rowNormalised(confusion: readonly (readonly number[])[]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

export interface ConfusedPair {
  truth: number;
  predicted: number;
  count: number;
  /** count over the true class's support. */
  share: number;
}

/** Off-diagonal cells with images, most images first (ties: the larger share, then class order). */
export function confusedPairs(confusion: readonly (readonly number[])[], limit = 5): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  confusion.forEach((row, truth) => {
    const support = row.reduce((a, b) => a + b, 0);
    row.forEach((count, predicted) => {
      if (predicted !== truth && count > 0) pairs.push({ truth, predicted, count, share: count / support });
    });
  });
  pairs.sort((a, b) => b.count - a.count || b.share - a.share || a.truth - b.truth || a.predicted - b.predicted);
  return pairs.slice(0, limit);
}

export interface CellSample {
  /** The image's index in the evaluated dataset (datasets.images takes it). */
  index: number;
  label: number;
  predicted: number;
  confidence: number;
}

/**
 * The images of one cell (true class `truth`, predicted `predicted`): exactly those whose label and
 * prediction are that pair. A mistake cell lists the most confidently wrong first (the worst
 * mistakes); the diagonal lists the least confident first (the ones the model nearly got wrong).
 */
export function cellSamples(report: Pick<EvaluationReport, 'samples'>, truth: number, predicted: number): CellSample[] {
  const s = report.samples;
  const out: CellSample[] = [];
  for (let i = 0; i < s.index.length; i++) {
    if (s.label[i] === truth && s.predicted[i] === predicted) out.push({ index: s.index[i]!, label: truth, predicted, confidence: s.confidence[i]! });
  }
  const sign = truth === predicted ? 1 : -1;
  return out.sort((a, b) => sign * (a.confidence - b.confidence) || a.index - b.index);
}

export type PerClassKey = 'class' | 'precision' | 'recall' | 'f1' | 'support';

/** The per-class rows sorted by one column; ties keep the class order, so a sort is stable. */
export function sortPerClass(rows: readonly ClassMetrics[], key: PerClassKey, descending: boolean): ClassMetrics[] {
  const indexed = rows.map((row, i) => ({ row, i }));
  indexed.sort((a, b) => {
    const x = a.row[key];
    const y = b.row[key];
    const order = typeof x === 'string' ? x.localeCompare(y as string) : (x as number) - (y as number);
    return (descending ? -order : order) || a.i - b.i;
  });
  return indexed.map(({ row }) => row);
}

/** Heat of a cell in [0, 1]: a share of its row when normalised, else of the largest count. */
export function cellHeat(confusion: readonly (readonly number[])[], normalised: boolean): number[][] {
  if (normalised) return rowNormalised(confusion);
  const peak = Math.max(1, ...confusion.flat());
  return confusion.map((row) => row.map((v) => v / peak));
}
