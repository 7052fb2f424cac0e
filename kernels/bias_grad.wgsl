// bias_grad.wgsl — dBias[c] (+)= Σ_{n, l} dOut[n, c, l]
//
// What: the grad-bias reduction of conv and Linear. One workgroup per channel: its 64
//   invocations stride over the N·L values of that channel, then a tree reduction in workgroup
//   memory. Fixed order, no atomics, so the result is deterministic.
// Layouts: dOut (N, C, L) row-major f32; dBias (C).
// Bindings: 0 uniform Params, 1 dOut (read), 2 dBias (read_write).
// Uniforms: accumulate = 1 adds to dBias (accGradParameters), 0 overwrites it.
// Dispatch: x = C workgroups of 64.

struct Params { batch: u32, channels: u32, pixels: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dOut: array<f32>;
@group(0) @binding(2) var<storage, read_write> dBias: array<f32>;

var<workgroup> partial: array<f32, 64>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = wid.x;
  let count = p.batch * p.pixels;
  var sum = 0.0;
  for (var t = lid; t < count; t += 64u) {
    let n = t / p.pixels;
    let l = t % p.pixels;
    sum += dOut[(n * p.channels + ch) * p.pixels + l];
  }
  partial[lid] = sum;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { partial[lid] += partial[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    if (p.accumulate != 0u) {
      dBias[ch] = dBias[ch] + partial[0];
    } else {
      dBias[ch] = partial[0];
    }
  }
}
