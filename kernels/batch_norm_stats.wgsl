// batch_norm_stats.wgsl — per-channel batch statistics of BatchNorm2d in training mode
//
// What: for channel c over its M = N·L values: mean, biased variance var, and
//   saveMean[c] = mean, saveInvStd[c] = 1/sqrt(var + eps),
//   runningMean[c] = (1 − momentum)·runningMean[c] + momentum·mean,
//   runningVar[c]  = (1 − momentum)·runningVar[c]  + momentum·var·M/(M − 1)   (unbiased, as PyTorch).
//   Two passes and no barrier (on SwiftShader a workgroupBarrier turns every invocation into a
//   coroutine, which costs more than the sums; see bias_grad.wgsl):
//   partialStats / partialStats4: the image segments of common/image_segments.wgsl; each lane
//     sums its segment, then sums its squared deviations from the segment's own mean (two
//     passes over a segment, so no E[x²] − E[x]² cancellation), and writes (count, mean, M2).
//     partialStats4 reads vec4s (L a multiple of 4).
//   finish: lane c merges its channel's segments in their fixed order with Chan et al.'s
//     pairwise update (mean += δ·n_b/n, M2 += M2_b + δ²·n_a·n_b/n), then writes the outputs.
//   Fixed order everywhere, no atomics: deterministic.
// Layouts: x (N, C, L) row-major f32, read as units = L f32s or L / 4 vec4s per plane;
//   partials (3, C, partialsPerChannel) scratch: counts, then means, then M2s;
//   the other four buffers (C).
// Bindings: 0 uniform Params, 1 x (read; array<f32> in partialStats, array<vec4f> in
//   partialStats4), 2 partials, 3 saveMean, 4 saveInvStd, 5 runningMean, 6 runningVar
//   (all read_write).
// Uniforms: batch, channels, units per plane, segBits, segLen, partialsPerChannel, eps, momentum.
// Dispatch: partialStats(4) x = C, y = ceil(N · segs / 64) workgroups of 64;
//   finish x = ceil(C / 64) workgroups of 64.
// Prepended when loaded: common/image_segments.wgsl.

struct Params {
  batch: u32, channels: u32, units: u32, segBits: u32, segLen: u32, partialsPerChannel: u32,
  eps: f32, momentum: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> x4: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
@group(0) @binding(3) var<storage, read_write> saveMean: array<f32>;
@group(0) @binding(4) var<storage, read_write> saveInvStd: array<f32>;
@group(0) @binding(5) var<storage, read_write> runningMean: array<f32>;
@group(0) @binding(6) var<storage, read_write> runningVar: array<f32>;

fn writePartial(wid: vec3u, lid: u32, count: f32, mean: f32, m2: f32) {
  let i = partialIndex(wid, lid);
  let block = p.channels * p.partialsPerChannel;
  partials[i] = count;
  partials[block + i] = mean;
  partials[2u * block + i] = m2;
}

@compute @workgroup_size(64, 1, 1)
fn partialStats(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let span = laneSpan(wid, lid);
  let count = f32(span.end - span.first);
  var sum = 0.0;
  for (var i = span.first; i < span.end; i++) { sum += x[i]; }
  let mean = select(0.0, sum / count, count > 0.0);
  var m2 = 0.0;
  for (var i = span.first; i < span.end; i++) {
    let d = x[i] - mean;
    m2 += d * d;
  }
  writePartial(wid, lid, count, mean, m2);
}

@compute @workgroup_size(64, 1, 1)
fn partialStats4(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let span = laneSpan(wid, lid);
  let count = 4.0 * f32(span.end - span.first);
  var acc = vec4f(0.0);
  for (var i = span.first; i < span.end; i++) { acc += x4[i]; }
  let mean = select(0.0, ((acc.x + acc.y) + (acc.z + acc.w)) / count, count > 0.0);
  var sq = vec4f(0.0);
  for (var i = span.first; i < span.end; i++) {
    let d = x4[i] - vec4f(mean);
    sq += d * d;
  }
  writePartial(wid, lid, count, mean, (sq.x + sq.y) + (sq.z + sq.w));
}

@compute @workgroup_size(64, 1, 1)
fn finish(@builtin(global_invocation_id) gid: vec3u) {
  let ch = gid.x;
  if (ch >= p.channels) { return; }
  let block = p.channels * p.partialsPerChannel;
  let first = ch * p.partialsPerChannel;
  var n = 0.0;
  var mean = 0.0;
  var m2 = 0.0;
  for (var i = first; i < first + p.partialsPerChannel; i++) {
    let nb = partials[i];
    if (nb == 0.0) { continue; }
    let total = n + nb;
    let delta = partials[block + i] - mean;
    mean += delta * (nb / total);
    m2 += partials[2u * block + i] + delta * delta * (n * nb / total);
    n = total;
  }
  let variance = m2 / n;
  saveMean[ch] = mean;
  saveInvStd[ch] = 1.0 / sqrt(variance + p.eps);
  runningMean[ch] = (1.0 - p.momentum) * runningMean[ch] + p.momentum * mean;
  runningVar[ch] = (1.0 - p.momentum) * runningVar[ch] + p.momentum * (m2 / (n - 1.0));
}
