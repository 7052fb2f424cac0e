// batch_norm_apply.wgsl — y = (x − mean[c]) · invStd[c] · gamma[c] + beta[c]
//
// What: the elementwise half of BatchNorm2d, for both modes. Training passes the batch's
//   saveMean / saveInvStd (from batch_norm_stats.wgsl); eval passes runningMean / runningVar
//   with FROM_VARIANCE = true, and invStd = 1/sqrt(var + eps) is computed here.
//   Every workgroup works within one channel (the layouts of common/channel_planes.wgsl), so
//   the channel's four numbers are read once per lane instead of once per element, and no
//   element divides to find its channel.
//   main4 reads and writes vec4s (L a multiple of 4): a quarter of the loads and stores, with
//   the same arithmetic per element (the same bits as main).
// Layouts: x, y (N, C, L) row-major f32, as units = L f32s or L / 4 vec4s per plane;
//   gamma, beta, mean, spread (C).
// Bindings: 0 uniform Params, 1 x (read; array<f32> in main, array<vec4f> in main4), 2 gamma,
//   3 beta, 4 mean, 5 spread (invStd, or the variance when FROM_VARIANCE) (all read),
//   6 y (read_write; f32 or vec4f as x).
// Uniforms: channels, units per plane, batch, imagesPerRow (1: the large-plane layout),
//   eps (used only when FROM_VARIANCE).
// Overrides: FROM_VARIANCE.
// Dispatch: workgroups of 64, y = C; x and z as common/channel_planes.wgsl lays them out.
// Prepended when loaded: common/channel_planes.wgsl.

override FROM_VARIANCE: bool = false;

struct Params { channels: u32, units: u32, batch: u32, imagesPerRow: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> x4: array<vec4f>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read> mean: array<f32>;
@group(0) @binding(5) var<storage, read> spread: array<f32>;
@group(0) @binding(6) var<storage, read_write> y: array<f32>;
@group(0) @binding(6) var<storage, read_write> y4: array<vec4f>;

fn invStdOf(ch: u32) -> f32 {
  if (FROM_VARIANCE) { return 1.0 / sqrt(spread[ch] + p.eps); }
  return spread[ch];
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = wid.y;
  let m = mean[ch];
  let s = invStdOf(ch);
  let g = gamma[ch];
  let b = beta[ch];
  for (var k = 0u; k < 4u; k++) {
    let i = unitAt(wid, lid, k);
    if (i != 0xffffffffu) { y[i] = (x[i] - m) * s * g + b; }
  }
}

@compute @workgroup_size(64, 1, 1)
fn main4(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = wid.y;
  let m = vec4f(mean[ch]);
  let s = vec4f(invStdOf(ch));
  let g = vec4f(gamma[ch]);
  let b = vec4f(beta[ch]);
  for (var k = 0u; k < 4u; k++) {
    let i = unitAt(wid, lid, k);
    if (i != 0xffffffffu) { y4[i] = (x4[i] - m) * s * g + b; }
  }
}
