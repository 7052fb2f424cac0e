// Mean softmax cross-entropy in float64: the CPU twin of kernels/cross_entropy.wgsl.
//
// logits (n, classes) row-major; targets (n) class indices stored as floats. Per row, with a
// stable log-sum-exp lse = max + log Σ exp(x − max) and PyTorch's label_smoothing ε (the target
// distribution (1 − ε)·onehot + ε/classes):
//   loss_r = (1 − ε)·(lse − x[target]) + ε·(lse − mean_j x[j]),
//   dLogits_r = (softmax − (1 − ε)·onehot − ε/classes)/n.
// With ε = 0 the smoothing terms are skipped, not multiplied by 0 (an infinite logit stays finite
// in the loss it does not enter). correct counts rows whose first argmax is the target
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
  loss: Float64Array, dLogits: Float64Array, correct: Float64Array, labelSmoothing = 0,
): void {
  const eps = labelSmoothing;
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
    if (eps === 0) {
      lossSum += lse - logits[base + target]!;
    } else {
      let sum = 0;
      for (let j = 0; j < classes; j++) sum += logits[base + j]!;
      lossSum += (1 - eps) * (lse - logits[base + target]!) + eps * (lse - sum / classes);
    }
    if (argmax === target) hits++;
    for (let j = 0; j < classes; j++) {
      const softmax = Math.exp(logits[base + j]! - max) / sumExp;
      const want = (j === target ? 1 - eps : 0) + eps / classes;
      dLogits[base + j] = (softmax - want) / n;
    }
  }
  loss[0] = lossSum / n;
  correct[0] = hits;
}
