// bias_grad.wgsl — dBias[c] (+)= Σ_{n, l} dOut[n, c, l]
//
// What: the grad-bias reduction of conv and Linear, in two passes and without any barrier:
//   on SwiftShader a workgroupBarrier turns every invocation into a coroutine, which costs
//   more than the sum itself, so lanes hand their sums to a second pass instead.
//   partialSums / partialSums4: the image segments of common/image_segments.wgsl; each lane
//     sums its segment in increasing order into partials[c, y, lane] (0 past the batch).
//     partialSums4 reads vec4s (L a multiple of 4): a quarter of the loads and loop iterations.
//   finish: lane c sums partials[c, ·, ·] in order and writes or adds dBias[c].
//   Fixed order everywhere, no atomics: the result is deterministic.
// Layouts: dOut (N, C, L) row-major f32, read as units = L f32s or L / 4 vec4s per plane;
//   partials (C, partialsPerChannel) scratch, partialsPerChannel = 64 · groups in y; dBias (C).
// Bindings: 0 uniform Params, 1 dOut (read; array<f32> in partialSums, array<vec4f> in
//   partialSums4: each entry point uses one of the two), 2 partials, 3 dBias (read_write).
// Uniforms: batch N, channels C, units per plane, accumulate (1 adds to dBias as in
//   accGradParameters, 0 overwrites it), segBits, segLen, partialsPerChannel.
// Dispatch: partialSums(4) x = C, y = ceil(N · segs / 64) workgroups of 64;
//   finish x = ceil(C / 64) workgroups of 64.
// Prepended when loaded: common/image_segments.wgsl.

struct Params {
  batch: u32, channels: u32, units: u32, accumulate: u32,
  segBits: u32, segLen: u32, partialsPerChannel: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dOut: array<f32>;
@group(0) @binding(1) var<storage, read> dOut4: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
@group(0) @binding(3) var<storage, read_write> dBias: array<f32>;

@compute @workgroup_size(64, 1, 1)
fn partialSums(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let span = laneSpan(wid, lid);
  var sum = 0.0;
  for (var i = span.first; i < span.end; i++) { sum += dOut[i]; }
  partials[partialIndex(wid, lid)] = sum;
}

@compute @workgroup_size(64, 1, 1)
fn partialSums4(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let span = laneSpan(wid, lid);
  var acc = vec4f(0.0);
  for (var i = span.first; i < span.end; i++) { acc += dOut4[i]; }
  partials[partialIndex(wid, lid)] = (acc.x + acc.y) + (acc.z + acc.w);
}

@compute @workgroup_size(64, 1, 1)
fn finish(@builtin(global_invocation_id) gid: vec3u) {
  let ch = gid.x;
  if (ch >= p.channels) { return; }
  let first = ch * p.partialsPerChannel;
  var sum = 0.0;
  for (var i = first; i < first + p.partialsPerChannel; i++) { sum += partials[i]; }
  if (p.accumulate != 0u) {
    dBias[ch] = dBias[ch] + sum;
  } else {
    dBias[ch] = sum;
  }
}
