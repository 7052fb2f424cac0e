// batch_norm_apply.wgsl — y = (x − mean[c]) · invStd[c] · gamma[c] + beta[c]
//
// What: the elementwise half of BatchNorm2d, for both modes. Training passes the batch's
//   saveMean / saveInvStd (from batch_norm_stats.wgsl); eval passes runningMean / runningVar
//   with FROM_VARIANCE = true, and invStd = 1/sqrt(var + eps) is computed here.
// Layouts: x, y (N, C, L) row-major f32, L = H·W; gamma, beta, mean, spread (C).
// Bindings: 0 uniform Params, 1 x, 2 gamma, 3 beta, 4 mean, 5 spread (invStd, or the variance
//   when FROM_VARIANCE) (all read), 6 y (read_write).
// Uniforms: total = N·C·L, rowPitch, channels, pixels, eps (used only when FROM_VARIANCE).
// Overrides: FROM_VARIANCE.
// Dispatch: one invocation per element, 256 per workgroup, index gid.x + gid.y · rowPitch.

override FROM_VARIANCE: bool = false;

struct Params { total: u32, rowPitch: u32, channels: u32, pixels: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read> mean: array<f32>;
@group(0) @binding(5) var<storage, read> spread: array<f32>;
@group(0) @binding(6) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let ch = (idx / p.pixels) % p.channels;
  var invStd = spread[ch];
  if (FROM_VARIANCE) { invStd = 1.0 / sqrt(spread[ch] + p.eps); }
  y[idx] = (x[idx] - mean[ch]) * invStd * gamma[ch] + beta[ch];
}
