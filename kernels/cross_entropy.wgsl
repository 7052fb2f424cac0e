// cross_entropy.wgsl — mean softmax cross-entropy, its gradient and the count of correct rows
//
// What: a per-row pass (one of two entry points), then a mean (one of two).
//   rows:        one workgroup per row r, tree reductions over its classes (many classes).
//   rowPerLane:  one invocation per row r, a serial scan over its classes (classes ≤ 64): no
//                barriers and no workgroup memory, which on SwiftShader cost far more than a few
//                dozen serial adds, and 64 rows share one workgroup instead of 64 idle lanes each.
//   Both: stable log-sum-exp lse = max + log Σ exp(x − max); with PyTorch's label_smoothing
//         ε (target distribution (1 − ε)·onehot + ε/classes):
//         dLogits[r, j] = (softmax_j − (1 − ε)·[j = target] − ε/classes) / n;
//         rowStats[r] = (1 − ε)·(lse − x[target]) + ε·(lse − mean_j x[j]) (the mean only when ε ≠ 0);
//         rowStats[n + r] = 1 when the first argmax equals the target (torch.argmax), else 0.
//         rowPerLane's argmax takes x[0], then any later x[j] greater than the best so far:
//         ties keep the smallest index and a NaN after class 0 never wins. rows applies that
//         rule to each lane's strided slice and merges slices keeping the smaller index on
//         ties: the same answer whenever the row has no NaN.
//         A target that is not a class index in [0, classes) makes that row's loss NaN, so the
//         mistake shows in the loss curve instead of passing silently.
//   finish / finishSerial: loss[0] = Σ rowStats[0..n) / n, correct[0] = Σ rowStats[n..2n);
//         finish with a tree in one workgroup, finishSerial in one lane (few rows, where the
//         tree's barriers cost more than the serial loads).
//   Fixed-order reductions, no atomics: deterministic.
// Layouts: logits, dLogits (n, classes) row-major f32; targets (n) class indices as f32;
//   rowStats (2·n) scratch; loss, correct (1).
// Bindings: 0 uniform Params, 1 logits, 2 targets (read), 3 rowStats, 4 dLogits, 5 loss,
//   6 correct (read_write).
// Uniforms: n, classes, smoothing = ε.
// Dispatch: rows x = n workgroups of 64; rowPerLane x = ceil(n / 64) workgroups of 64;
//   finish 1 workgroup of 64; finishSerial 1 workgroup of 1.

struct Params { n: u32, classes: u32, smoothing: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<f32>;
@group(0) @binding(3) var<storage, read_write> rowStats: array<f32>;
@group(0) @binding(4) var<storage, read_write> dLogits: array<f32>;
@group(0) @binding(5) var<storage, read_write> loss: array<f32>;
@group(0) @binding(6) var<storage, read_write> correct: array<f32>;

var<workgroup> values: array<f32, 64>;
var<workgroup> argmaxes: array<u32, 64>;
var<workgroup> sums: array<f32, 64>;

@compute @workgroup_size(64, 1, 1)
fn rows(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x;
  let base = row * p.classes;

  // Max and first argmax: each invocation scans a strided slice in increasing j, keeping the
  // first of equal values; the tree keeps the smaller index on ties.
  var best = -3.402823e38;
  var bestIndex = 0xffffffffu;
  for (var j = lid; j < p.classes; j += 64u) {
    let v = logits[base + j];
    if (v > best || bestIndex == 0xffffffffu) { best = v; bestIndex = j; }
  }
  values[lid] = best;
  argmaxes[lid] = bestIndex;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      let v = values[lid + stride];
      let i = argmaxes[lid + stride];
      let mine = argmaxes[lid];
      if (i != 0xffffffffu && (mine == 0xffffffffu || v > values[lid] || (v == values[lid] && i < mine))) {
        values[lid] = v;
        argmaxes[lid] = i;
      }
    }
    workgroupBarrier();
  }
  let rowMax = values[0];
  let rowArgmax = argmaxes[0];

  var sumExp = 0.0;
  for (var j = lid; j < p.classes; j += 64u) { sumExp += exp(logits[base + j] - rowMax); }
  sums[lid] = sumExp;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { sums[lid] += sums[lid + stride]; }
    workgroupBarrier();
  }
  let total = sums[0];

  // Σ x for the smoothing term: the same tree, in `values` (every lane has read values[0] above
  // before the barrier below lets anyone overwrite it).
  var logitSum = 0.0;
  if (p.smoothing != 0.0) {
    for (var j = lid; j < p.classes; j += 64u) { logitSum += logits[base + j]; }
  }
  workgroupBarrier();
  values[lid] = logitSum;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { values[lid] += values[lid + stride]; }
    workgroupBarrier();
  }

  let cls = targetClass(row);
  let invN = 1.0 / f32(p.n);
  for (var j = lid; j < p.classes; j += 64u) {
    let softmax = exp(logits[base + j] - rowMax) / total;
    dLogits[base + j] = (softmax - smoothedTarget(j, cls)) * invN;
  }
  if (lid == 0u) {
    rowStats[row] = rowLoss(rowMax + log(total), cls, base, values[0]);
    rowStats[p.n + row] = select(0.0, 1.0, rowArgmax == cls);
  }
}

// The target's class, or 0xffffffff when the target is not a class index: no argmax equals
// that, so an invalid row never counts as correct.
fn targetClass(row: u32) -> u32 {
  let t = targets[row];
  let valid = t >= 0.0 && t < f32(p.classes) && t == floor(t);
  return select(0xffffffffu, u32(t), valid);
}

// The smoothed target probability of class j.
fn smoothedTarget(j: u32, cls: u32) -> f32 {
  return select(0.0, 1.0 - p.smoothing, j == cls) + p.smoothing / f32(p.classes);
}

// NaN for an invalid target, built from a runtime value: a constant NaN is a WGSL error.
// logitSum is Σ_j x[j], used only with smoothing.
fn rowLoss(lse: f32, cls: u32, base: u32, logitSum: f32) -> f32 {
  if (cls == 0xffffffffu) { return bitcast<f32>(0x7fc00000u | (p.n & 0u)); }
  let nll = lse - logits[base + cls];
  if (p.smoothing == 0.0) { return nll; }
  return (1.0 - p.smoothing) * nll + p.smoothing * (lse - logitSum / f32(p.classes));
}

@compute @workgroup_size(64, 1, 1)
fn rowPerLane(@builtin(global_invocation_id) gid: vec3u) {
  let row = gid.x;
  if (row >= p.n) { return; }
  let base = row * p.classes;

  var rowMax = logits[base];
  var rowArgmax = 0u;
  for (var j = 1u; j < p.classes; j++) {
    let v = logits[base + j];
    if (v > rowMax) { rowMax = v; rowArgmax = j; }
  }
  var total = 0.0;
  var logitSum = 0.0;
  for (var j = 0u; j < p.classes; j++) {
    let v = logits[base + j];
    total += exp(v - rowMax);
    logitSum += v;
  }

  let cls = targetClass(row);
  let invN = 1.0 / f32(p.n);
  for (var j = 0u; j < p.classes; j++) {
    let softmax = exp(logits[base + j] - rowMax) / total;
    dLogits[base + j] = (softmax - smoothedTarget(j, cls)) * invN;
  }
  rowStats[row] = rowLoss(rowMax + log(total), cls, base, logitSum);
  rowStats[p.n + row] = select(0.0, 1.0, rowArgmax == cls);
}

@compute @workgroup_size(64, 1, 1)
fn finish(@builtin(local_invocation_index) lid: u32) {
  var lossSum = 0.0;
  var hits = 0.0;
  for (var r = lid; r < p.n; r += 64u) {
    lossSum += rowStats[r];
    hits += rowStats[p.n + r];
  }
  values[lid] = lossSum;
  sums[lid] = hits;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      values[lid] += values[lid + stride];
      sums[lid] += sums[lid + stride];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    loss[0] = values[0] / f32(p.n);
    correct[0] = sums[0];
  }
}

@compute @workgroup_size(1, 1, 1)
fn finishSerial() {
  var lossSum = 0.0;
  var hits = 0.0;
  for (var r = 0u; r < p.n; r++) {
    lossSum += rowStats[r];
    hits += rowStats[p.n + r];
  }
  loss[0] = lossSum / f32(p.n);
  correct[0] = hits;
}
