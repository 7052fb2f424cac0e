// batch_norm_backward_input.wgsl — dX of BatchNorm2d in training mode
//
// What: dX = gamma·invStd · (dY − Σ dY / M − x̂ · Σ dY·x̂ / M), x̂ = (x − mean)·invStd,
//   M = N·L, with the sums of this batch from batch_norm_backward_reduce.wgsl. dX is overwritten.
// Layouts: x, dY, dX (N, C, L) row-major f32; gamma, saveMean, saveInvStd (C); sums (2·C):
//   [Σ dY per channel, then Σ dY·x̂ per channel].
// Bindings: 0 uniform Params, 1 x, 2 dY, 3 gamma, 4 saveMean, 5 saveInvStd, 6 sums (read),
//   7 dX (read_write).
// Uniforms: total = N·C·L, rowPitch, channels, pixels, count = M.
// Dispatch: one invocation per element, 256 per workgroup, index gid.x + gid.y · rowPitch.

struct Params { total: u32, rowPitch: u32, channels: u32, pixels: u32, count: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dY: array<f32>;
@group(0) @binding(3) var<storage, read> gamma: array<f32>;
@group(0) @binding(4) var<storage, read> saveMean: array<f32>;
@group(0) @binding(5) var<storage, read> saveInvStd: array<f32>;
@group(0) @binding(6) var<storage, read> sums: array<f32>;
@group(0) @binding(7) var<storage, read_write> dX: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let ch = (idx / p.pixels) % p.channels;
  let invStd = saveInvStd[ch];
  let m = f32(p.count);
  let xhat = (x[idx] - saveMean[ch]) * invStd;
  dX[idx] = gamma[ch] * invStd * (dY[idx] - sums[ch] / m - xhat * (sums[p.channels + ch] / m));
}
