// sgd.wgsl — one torch.optim.SGD step (PyTorch 1.13 semantics)
//
// What: per element, d = grad + weightDecay·param; with momentum ≠ 0:
//   buf = d on the first step (a copy, no dampening, as PyTorch), else momentum·buf + (1 − dampening)·d;
//   d = d + momentum·buf with nesterov, else buf. Then param −= lr·d.
// Layouts: param, grad, momentumBuf (n) f32.
// Bindings: 0 uniform Params, 1 grad (read), 2 param, 3 momentumBuf (read_write; not touched
//   when momentum = 0).
// Uniforms: total = n, rowPitch, lr, momentum, dampening, weightDecay, nesterov (0/1),
//   firstStep (0/1).
// Dispatch: one invocation per element, 256 per workgroup, index gid.x + gid.y · rowPitch.

struct Params {
  total: u32, rowPitch: u32, lr: f32, momentum: f32,
  dampening: f32, weightDecay: f32, nesterov: u32, firstStep: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> momentumBuf: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * p.rowPitch;
  if (i >= p.total) { return; }
  var d = grad[i];
  if (p.weightDecay != 0.0) { d += p.weightDecay * param[i]; }
  if (p.momentum != 0.0) {
    var buf = d;
    if (p.firstStep == 0u) { buf = p.momentum * momentumBuf[i] + (1.0 - p.dampening) * d; }
    momentumBuf[i] = buf;
    if (p.nesterov != 0u) { d = d + p.momentum * buf; } else { d = buf; }
  }
  param[i] = param[i] - p.lr * d;
}
