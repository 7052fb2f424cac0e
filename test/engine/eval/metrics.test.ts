// Classification metrics against numbers worked out by hand (and scikit-learn's conventions for
// classes never predicted or never present).
import { describe, expect, it } from 'vitest';
import { classificationMetrics, topClasses } from '../../../src/engine/eval/metrics';
import { matchClasses } from '../../../src/engine/eval/classMatch';

describe('classificationMetrics', () => {
  it('computes accuracy, loss, the confusion matrix and precision / recall / F1 per class', () => {
    // Three classes; rows are logits. Predictions: 0, 0, 1, 2, 1 for labels 0, 1, 1, 2, 2.
    const logits = Float32Array.of(
      2, 0, 0,
      1, 0.5, 0,
      0, 3, 0,
      0, 0, 1,
      0, 2, 1,
    );
    const m = classificationMetrics(logits, [0, 1, 1, 2, 2], ['a', 'b', 'c']);
    expect(m.confusion).toEqual([[1, 0, 0], [1, 1, 0], [0, 1, 1]]);
    expect(m.accuracy).toBeCloseTo(3 / 5, 12);
    expect(m.predicted).toEqual([0, 0, 1, 2, 1]);
    // a: precision 1/2, recall 1/1; b: 1/2, 1/2; c: 1/1, 1/2.
    expect(m.perClass.map((c) => [c.class, c.precision, c.recall, c.support])).toEqual([['a', 0.5, 1, 1], ['b', 0.5, 0.5, 2], ['c', 1, 0.5, 2]]);
    expect(m.perClass[0]!.f1).toBeCloseTo(2 / 3, 12);
    expect(m.perClass[2]!.f1).toBeCloseTo(2 / 3, 12);
    // Mean cross-entropy: log Σexp(row) − row[label].
    const ce = (row: number[], y: number) => Math.log(row.reduce((a, v) => a + Math.exp(v), 0)) - row[y]!;
    const want = (ce([2, 0, 0], 0) + ce([1, 0.5, 0], 1) + ce([0, 3, 0], 1) + ce([0, 0, 1], 2) + ce([0, 2, 1], 2)) / 5;
    expect(m.loss).toBeCloseTo(want, 6);
    expect(m.confidence[2]).toBeCloseTo(Math.exp(3) / (Math.exp(3) + 2), 6);
    expect(m.topK).toBeNull(); // only for more than 5 classes
  });

  it('gives 0, not NaN, for a class never predicted or never present, and top-5 beyond 5 classes', () => {
    const classes = ['0', '1', '2', '3', '4', '5', '6'];
    // Two images of class 6, both predicted as class 0; class 6 ranks 2nd and 7th.
    const logits = Float32Array.of(9, 1, 1, 1, 1, 1, 5, 9, 5, 5, 5, 5, 5, 1);
    const m = classificationMetrics(logits, [6, 6], classes);
    expect(m.perClass[0]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.perClass[6]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(m.topK).toEqual({ k: 5, accuracy: 0.5 });
  });

  it('names the top classes with softmax probabilities, ties in class order', () => {
    const top = topClasses([0, Math.log(3), 0], ['x', 'y', 'z'], 2);
    expect(top.map((t) => t.class)).toEqual(['y', 'x']);
    expect(top[0]!.probability).toBeCloseTo(0.6, 12);
    expect(top[1]!.probability).toBeCloseTo(0.2, 12);
  });
});

describe('matchClasses', () => {
  it('maps a dataset with the same classes in another order', () => {
    expect([...matchClasses(['cat', 'dog', 'eel'], ['eel', 'cat', 'dog'], 'folder')]).toEqual([2, 0, 1]);
  });
  it('refuses extra and missing classes, naming them', () => {
    expect(() => matchClasses(['cat', 'dog'], ['cat', 'dog', 'fox'], 'folder x')).toThrow('folder x has classes the model does not know: "fox" (the model\'s classes: "cat", "dog")');
    expect(() => matchClasses(['cat', 'dog'], ['cat'], 'folder x')).toThrow(/lacks the model's "dog"/);
  });
});
