// batch_norm_backward_reduce.wgsl — the per-channel sums of the BatchNorm2d backward pass
//
// What: with x̂ = (x − saveMean[c])·saveInvStd[c], over the M = N·L values of channel c:
//   sums[c] = Σ dY, sums[C + c] = Σ dY·x̂, and dBeta[c] (+)= Σ dY, dGamma[c] (+)= Σ dY·x̂.
//   The sums go to a scratch buffer as well because dX needs this batch's sums, while dGamma and
//   dBeta may be accumulating over several batches. Two passes, no barrier (see bias_grad.wgsl):
//   partialSums / partialSums4: the image segments of common/image_segments.wgsl; each lane
//     sums dY and dY·x̂ over its segment in increasing order (partialSums4: vec4 loads, L a
//     multiple of 4) into partials.
//   finish: lane c adds its channel's partials in their fixed order and writes the outputs.
//   Deterministic: fixed order, no atomics.
// Layouts: x, dY (N, C, L) row-major f32, read as units = L f32s or L / 4 vec4s per plane;
//   saveMean, saveInvStd, dGamma, dBeta (C); sums (2·C); partials (2, C, partialsPerChannel)
//   scratch: the Σ dY partials, then the Σ dY·x̂ ones.
// Bindings: 0 uniform Params, 1 x, 2 dY (read; array<f32> in partialSums, array<vec4f> in
//   partialSums4), 3 saveMean, 4 saveInvStd (read), 5 partials, 6 sums, 7 dGamma, 8 dBeta
//   (read_write).
// Uniforms: batch, channels, units per plane, segBits, segLen, partialsPerChannel, accumulate
//   (1 adds to dGamma/dBeta, 0 overwrites).
// Dispatch: partialSums(4) x = C, y = ceil(N · segs / 64) workgroups of 64;
//   finish x = ceil(C / 64) workgroups of 64.
// Prepended when loaded: common/image_segments.wgsl.

struct Params {
  batch: u32, channels: u32, units: u32, segBits: u32, segLen: u32, partialsPerChannel: u32,
  accumulate: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> x4: array<vec4f>;
@group(0) @binding(2) var<storage, read> dY: array<f32>;
@group(0) @binding(2) var<storage, read> dY4: array<vec4f>;
@group(0) @binding(3) var<storage, read> saveMean: array<f32>;
@group(0) @binding(4) var<storage, read> saveInvStd: array<f32>;
@group(0) @binding(5) var<storage, read_write> partials: array<f32>;
@group(0) @binding(6) var<storage, read_write> sums: array<f32>;
@group(0) @binding(7) var<storage, read_write> dGamma: array<f32>;
@group(0) @binding(8) var<storage, read_write> dBeta: array<f32>;

@compute @workgroup_size(64, 1, 1)
fn partialSums(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let span = laneSpan(wid, lid);
  let mean = saveMean[wid.x];
  let invStd = saveInvStd[wid.x];
  var sumDy = 0.0;
  var sumDyXhat = 0.0;
  for (var i = span.first; i < span.end; i++) {
    let g = dY[i];
    sumDy += g;
    sumDyXhat += g * (x[i] - mean) * invStd;
  }
  let at = partialIndex(wid, lid);
  partials[at] = sumDy;
  partials[p.channels * p.partialsPerChannel + at] = sumDyXhat;
}

@compute @workgroup_size(64, 1, 1)
fn partialSums4(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let span = laneSpan(wid, lid);
  let mean = vec4f(saveMean[wid.x]);
  let invStd = vec4f(saveInvStd[wid.x]);
  var sumDy = vec4f(0.0);
  var sumDyXhat = vec4f(0.0);
  for (var i = span.first; i < span.end; i++) {
    let g = dY4[i];
    sumDy += g;
    sumDyXhat += g * (x4[i] - mean) * invStd;
  }
  let at = partialIndex(wid, lid);
  partials[at] = (sumDy.x + sumDy.y) + (sumDy.z + sumDy.w);
  partials[p.channels * p.partialsPerChannel + at] = (sumDyXhat.x + sumDyXhat.y) + (sumDyXhat.z + sumDyXhat.w);
}

@compute @workgroup_size(64, 1, 1)
fn finish(@builtin(global_invocation_id) gid: vec3u) {
  let ch = gid.x;
  if (ch >= p.channels) { return; }
  let block = p.channels * p.partialsPerChannel;
  let first = ch * p.partialsPerChannel;
  var totalDy = 0.0;
  var totalDyXhat = 0.0;
  for (var i = first; i < first + p.partialsPerChannel; i++) {
    totalDy += partials[i];
    totalDyXhat += partials[block + i];
  }
  sums[ch] = totalDy;
  sums[p.channels + ch] = totalDyXhat;
  if (p.accumulate != 0u) {
    dBeta[ch] = dBeta[ch] + totalDy;
    dGamma[ch] = dGamma[ch] + totalDyXhat;
  } else {
    dBeta[ch] = totalDy;
    dGamma[ch] = totalDyXhat;
  }
}
