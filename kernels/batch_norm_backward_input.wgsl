// batch_norm_backward_input.wgsl — dX of BatchNorm2d in training mode
//
// What: dX = gamma·invStd · (dY − Σ dY / M − x̂ · Σ dY·x̂ / M), x̂ = (x − mean)·invStd,
//   M = N·L, with the sums of this batch from batch_norm_backward_reduce.wgsl. dX is overwritten.
//   Every workgroup works within one channel, so the channel's numbers are read once per lane
//   (the layouts of batch_norm_apply.wgsl: up to 256 units of one plane, or small planes of
//   several images side by side); main4 works on vec4s (L a multiple of 4) with the same
//   arithmetic per element.
// Layouts: x, dY, dX (N, C, L) row-major f32, as units = L f32s or L / 4 vec4s per plane;
//   gamma, saveMean, saveInvStd (C); sums (2·C): [Σ dY per channel, then Σ dY·x̂ per channel].
// Bindings: 0 uniform Params, 1 x, 2 dY (read; array<f32> in main, array<vec4f> in main4),
//   3 gamma, 4 saveMean, 5 saveInvStd, 6 sums (read), 7 dX (read_write; f32 or vec4f as x).
// Uniforms: channels, units per plane, batch, imagesPerRow (1: the large-plane layout), count = M.
// Dispatch: as batch_norm_apply.wgsl (common/channel_planes.wgsl).
// Prepended when loaded: common/channel_planes.wgsl.

struct Params { channels: u32, units: u32, batch: u32, imagesPerRow: u32, count: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> x4: array<vec4f>;
@group(0) @binding(2) var<storage, read> dY: array<f32>;
@group(0) @binding(2) var<storage, read> dY4: array<vec4f>;
@group(0) @binding(3) var<storage, read> gamma: array<f32>;
@group(0) @binding(4) var<storage, read> saveMean: array<f32>;
@group(0) @binding(5) var<storage, read> saveInvStd: array<f32>;
@group(0) @binding(6) var<storage, read> sums: array<f32>;
@group(0) @binding(7) var<storage, read_write> dX: array<f32>;
@group(0) @binding(7) var<storage, read_write> dX4: array<vec4f>;

// The channel's terms: gamma·invStd, Σ dY / M, Σ dY·x̂ / M, and mean and invStd for x̂.
struct Terms { scale: f32, meanDy: f32, meanDyXhat: f32, mean: f32, invStd: f32 }

fn termsOf(ch: u32) -> Terms {
  let invStd = saveInvStd[ch];
  let m = f32(p.count);
  return Terms(gamma[ch] * invStd, sums[ch] / m, sums[p.channels + ch] / m, saveMean[ch], invStd);
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = termsOf(wid.y);
  for (var k = 0u; k < 4u; k++) {
    let i = unitAt(wid, lid, k);
    if (i != 0xffffffffu) {
      let xhat = (x[i] - t.mean) * t.invStd;
      dX[i] = t.scale * (dY[i] - t.meanDy - xhat * t.meanDyXhat);
    }
  }
}

@compute @workgroup_size(64, 1, 1)
fn main4(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = termsOf(wid.y);
  for (var k = 0u; k < 4u; k++) {
    let i = unitAt(wid, lid, k);
    if (i != 0xffffffffu) {
      let xhat = (x4[i] - vec4f(t.mean)) * vec4f(t.invStd);
      dX4[i] = vec4f(t.scale) * (dY4[i] - vec4f(t.meanDy) - xhat * vec4f(t.meanDyXhat));
    }
  }
}
