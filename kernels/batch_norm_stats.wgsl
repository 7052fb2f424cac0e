// batch_norm_stats.wgsl — per-channel batch statistics of BatchNorm2d in training mode
//
// What: for channel c over its M = N·L values: mean, biased variance var, and
//   saveMean[c] = mean, saveInvStd[c] = 1/sqrt(var + eps),
//   runningMean[c] = (1 − momentum)·runningMean[c] + momentum·mean,
//   runningVar[c]  = (1 − momentum)·runningVar[c]  + momentum·var·M/(M − 1)   (unbiased, as PyTorch).
//   Two passes over the channel (mean, then squared deviations) avoid E[x²] − E[x]² cancellation.
//   Fixed-order tree reductions in workgroup memory, no atomics: deterministic.
// Layouts: x (N, C, L) row-major f32, L = H·W; the other four buffers (C).
// Bindings: 0 uniform Params, 1 x (read), 2 saveMean, 3 saveInvStd, 4 runningMean, 5 runningVar
//   (all read_write).
// Uniforms: batch, channels, pixels (= L), eps, momentum.
// Dispatch: x = C workgroups of 256.

struct Params { batch: u32, channels: u32, pixels: u32, eps: f32, momentum: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> saveMean: array<f32>;
@group(0) @binding(3) var<storage, read_write> saveInvStd: array<f32>;
@group(0) @binding(4) var<storage, read_write> runningMean: array<f32>;
@group(0) @binding(5) var<storage, read_write> runningVar: array<f32>;

var<workgroup> partial: array<f32, 256>;

fn channelIndex(ch: u32, t: u32) -> u32 {
  let n = t / p.pixels;
  let l = t % p.pixels;
  return (n * p.channels + ch) * p.pixels + l;
}

// Sum of partial[] into partial[0]; every invocation must call it (it contains barriers).
fn treeSum(lid: u32) -> f32 {
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { partial[lid] += partial[lid + stride]; }
    workgroupBarrier();
  }
  let total = partial[0];
  // Everyone has read the total before the next reduction overwrites partial[].
  workgroupBarrier();
  return total;
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = wid.x;
  let count = p.batch * p.pixels;
  let m = f32(count);

  var sum = 0.0;
  for (var t = lid; t < count; t += 256u) { sum += x[channelIndex(ch, t)]; }
  partial[lid] = sum;
  let mean = treeSum(lid) / m;

  var squares = 0.0;
  for (var t = lid; t < count; t += 256u) {
    let d = x[channelIndex(ch, t)] - mean;
    squares += d * d;
  }
  partial[lid] = squares;
  let sq = treeSum(lid);

  if (lid == 0u) {
    let variance = sq / m;
    saveMean[ch] = mean;
    saveInvStd[ch] = 1.0 / sqrt(variance + p.eps);
    runningMean[ch] = (1.0 - p.momentum) * runningMean[ch] + p.momentum * mean;
    runningVar[ch] = (1.0 - p.momentum) * runningVar[ch] + p.momentum * (sq / (m - 1.0));
  }
}
