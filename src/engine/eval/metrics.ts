// Classification metrics from logits, in float64 on the CPU: the logits are read back once per
// chunk (eval/logits.ts), so this is the cheap part. Definitions as scikit-learn's defaults:
// precision and recall of a class with no predictions or no images are 0, F1 likewise.

import type { ClassMetrics } from '../../shared/evaluation';

export interface ClassificationMetrics {
  n: number;
  accuracy: number;
  loss: number;
  topK: { k: number; accuracy: number } | null;
  perClass: ClassMetrics[];
  confusion: number[][];
  predicted: number[];
  /** Softmax probability of each image's predicted class. */
  confidence: number[];
}

/** `logits` is row-major (labels.length × classes.length). */
export function classificationMetrics(logits: Float32Array, labels: ArrayLike<number>, classes: readonly string[]): ClassificationMetrics {
  const c = classes.length;
  const n = labels.length;
  if (logits.length !== n * c) throw new Error(`classificationMetrics: ${logits.length} logits for ${n} images of ${c} classes`);
  const k = c > 5 ? 5 : 0;
  const confusion = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  const predicted = new Array<number>(n);
  const confidence = new Array<number>(n);
  let lossSum = 0;
  let topKHits = 0;
  for (let i = 0; i < n; i++) {
    const row = logits.subarray(i * c, (i + 1) * c);
    const label = labels[i]!;
    let best = 0;
    for (let j = 1; j < c; j++) if (row[j]! > row[best]!) best = j; // ties keep the first, as argmax does
    const max = row[best]!;
    let sum = 0;
    for (let j = 0; j < c; j++) sum += Math.exp(row[j]! - max);
    lossSum += Math.log(sum) + max - row[label]!;
    predicted[i] = best;
    confidence[i] = 1 / sum;
    confusion[label]![best]!++;
    if (k > 0) {
      // In the top k when fewer than k classes score strictly higher than the true one.
      let higher = 0;
      for (let j = 0; j < c; j++) if (row[j]! > row[label]!) higher++;
      if (higher < k) topKHits++;
    }
  }
  const perClass = classes.map((name, j): ClassMetrics => {
    const support = confusion[j]!.reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((a, r) => a + r[j]!, 0);
    const hit = confusion[j]![j]!;
    const precision = predictedAs > 0 ? hit / predictedAs : 0;
    const recall = support > 0 ? hit / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { class: name, precision, recall, f1, support };
  });
  const correct = confusion.reduce((a, r, j) => a + r[j]!, 0);
  return {
    n, accuracy: n > 0 ? correct / n : 0, loss: n > 0 ? lossSum / n : NaN,
    topK: k > 0 ? { k, accuracy: n > 0 ? topKHits / n : 0 } : null,
    perClass, confusion, predicted, confidence,
  };
}

/** The k most probable classes of one row of logits, with their softmax probabilities. */
export function topClasses(row: ArrayLike<number>, classes: readonly string[], k: number): Array<{ class: string; probability: number }> {
  let max = -Infinity;
  for (let j = 0; j < row.length; j++) max = Math.max(max, row[j]!);
  let sum = 0;
  for (let j = 0; j < row.length; j++) sum += Math.exp(row[j]! - max);
  const order = [...Array(row.length).keys()].sort((a, b) => row[b]! - row[a]! || a - b);
  return order.slice(0, Math.min(k, row.length)).map((j) => ({ class: classes[j]!, probability: Math.exp(row[j]! - max) / sum }));
}
