// Mean softmax cross-entropy in float64: the CPU twin of kernels/cross_entropy.wgsl.
//
// logits (n, classes) row-major; targets (n) class indices stored as floats. Per row, with a
// stable log-sum-exp lse = max + log Σ exp(x − max): loss_r = lse − x[target],
// dLogits_r = (softmax − onehot)/n. correct counts rows whose first argmax is the target
// (torch.argmax picks the first of equal maxima), for accuracy without a second readback.

function targetClass(targets: Float64Array, row: number, classes: number): number {
  const t = targets[row]!;
  if (!Number.isInteger(t) || t < 0 || t >= classes) {
    throw new Error(`cross-entropy target ${t} in row ${row} is not a class index in [0, ${classes}); check the dataset labels against the model's output size`);
  }
  return t;
}

export function crossEntropyCpu(
  n: number, classes: number, logits: Float64Array, targets: Float64Array,
  loss: Float64Array, dLogits: Float64Array, correct: Float64Array,
): void {
  let lossSum = 0;
  let hits = 0;
  for (let r = 0; r < n; r++) {
    const base = r * classes;
    const target = targetClass(targets, r, classes);
    let max = -Infinity;
    let argmax = 0;
    for (let j = 0; j < classes; j++) {
      const v = logits[base + j]!;
      if (v > max) { max = v; argmax = j; }
    }
    let sumExp = 0;
    for (let j = 0; j < classes; j++) sumExp += Math.exp(logits[base + j]! - max);
    const lse = max + Math.log(sumExp);
    lossSum += lse - logits[base + target]!;
    if (argmax === target) hits++;
    for (let j = 0; j < classes; j++) {
      const softmax = Math.exp(logits[base + j]! - max) / sumExp;
      dLogits[base + j] = (softmax - (j === target ? 1 : 0)) / n;
    }
  }
  loss[0] = lossSum / n;
  correct[0] = hits;
}
