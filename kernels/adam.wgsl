// adam.wgsl — one torch.optim.Adam / AdamW step (PyTorch 1.13 semantics, no amsgrad)
//
// What: per element, weight decay first: AdamW (decoupled = 1) scales param by 1 − lr·weightDecay,
//   Adam adds weightDecay·param to the grad. Then m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g²,
//   param −= stepSize · m / (sqrt(v) / biasCorrection2Sqrt + eps), where the host computes
//   stepSize = lr / (1 − β1^step) and biasCorrection2Sqrt = sqrt(1 − β2^step) in float64 once.
// Layouts: param, grad, m, v (n) f32.
// Bindings: 0 uniform Params, 1 grad (read), 2 param, 3 m, 4 v (read_write).
// Uniforms: total = n, rowPitch, lr, beta1, beta2, eps, weightDecay, decoupled (0/1), stepSize,
//   biasCorrection2Sqrt.
// Dispatch: one invocation per element, 256 per workgroup, index gid.x + gid.y · rowPitch.

struct Params {
  total: u32, rowPitch: u32, lr: f32, beta1: f32,
  beta2: f32, eps: f32, weightDecay: f32, decoupled: u32,
  stepSize: f32, biasCorrection2Sqrt: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * p.rowPitch;
  if (i >= p.total) { return; }
  var g = grad[i];
  var w = param[i];
  if (p.weightDecay != 0.0) {
    if (p.decoupled != 0u) { w = w * (1.0 - p.lr * p.weightDecay); } else { g += p.weightDecay * w; }
  }
  let mi = p.beta1 * m[i] + (1.0 - p.beta1) * g;
  let vi = p.beta2 * v[i] + (1.0 - p.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  param[i] = w - p.stepSize * mi / (sqrt(vi) / p.biasCorrection2Sqrt + p.eps);
}
