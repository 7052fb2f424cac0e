// cross_entropy.wgsl — mean softmax cross-entropy, its gradient and the count of correct rows
//
// What: two entry points, run in order.
//   rows:   one workgroup per row r. Stable log-sum-exp lse = max + log Σ exp(x − max);
//           dLogits[r, j] = (softmax_j − [j = target]) / n; rowStats[r] = lse − x[target];
//           rowStats[n + r] = 1 when the first argmax equals the target (torch.argmax), else 0.
//           A target that is not a class index in [0, classes) makes that row's loss NaN, so the
//           mistake shows in the loss curve instead of passing silently.
//   finish: one workgroup. loss[0] = Σ rowStats[0..n) / n, correct[0] = Σ rowStats[n..2n).
//   Fixed-order tree reductions, no atomics: deterministic.
// Layouts: logits, dLogits (n, classes) row-major f32; targets (n) class indices as f32;
//   rowStats (2·n) scratch; loss, correct (1).
// Bindings: 0 uniform Params, 1 logits, 2 targets (read), 3 rowStats, 4 dLogits, 5 loss,
//   6 correct (read_write).
// Uniforms: n, classes.
// Dispatch: rows x = n workgroups of 64; finish 1 workgroup of 64.

struct Params { n: u32, classes: u32 }

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

  let t = targets[row];
  let valid = t >= 0.0 && t < f32(p.classes) && t == floor(t);
  let cls = select(0xffffffffu, u32(t), valid);
  let invN = 1.0 / f32(p.n);
  for (var j = lid; j < p.classes; j += 64u) {
    let softmax = exp(logits[base + j] - rowMax) / total;
    dLogits[base + j] = (softmax - select(0.0, 1.0, j == cls)) * invN;
  }
  if (lid == 0u) {
    // NaN for an invalid target, built from a runtime value: a constant NaN is a WGSL error.
    var rowLoss = bitcast<f32>(0x7fc00000u | (p.n & 0u));
    if (valid) { rowLoss = rowMax + log(total) - logits[base + cls]; }
    rowStats[row] = rowLoss;
    rowStats[p.n + row] = select(0.0, 1.0, valid && rowArgmax == cls);
  }
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
