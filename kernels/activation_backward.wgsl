// activation_backward.wgsl — dX for relu or leaky_relu, elementwise.
//
// What: LEAKY = false (PyTorch's threshold_backward on the output): dX = 0 where saved <= 0, else dY,
//   with saved = the forward OUTPUT y (so the forward may have run in place). A NaN output passes dY.
//   LEAKY = true (leaky_relu_backward on the input): dX = dY where saved > 0, else slope · dY,
//   with saved = the forward INPUT x. A NaN input takes the slope branch, as in PyTorch.
// Layouts: saved, dY and dX hold the same n elements.
// Bindings: 0 uniform Params, 1 saved (read), 2 dY (read), 3 dX (write). dX may alias nothing.
// Uniforms: total = n, slope (used only when LEAKY).
// Override constants: LEAKY as in activation.wgsl.
// Prepended when loaded: common/activation_params.wgsl (Params), common/is_nan.wgsl.
// Dispatch: one invocation per element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

override LEAKY: bool = false;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> saved: array<f32>;
@group(0) @binding(2) var<storage, read> dY: array<f32>;
@group(0) @binding(3) var<storage, read_write> dX: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let r = saved[idx];
  let g = dY[idx];
  if (LEAKY) {
    dX[idx] = select(g * p.slope, g, r > 0.0 && !isNan(r));
  } else {
    dX[idx] = select(g, 0.0, r <= 0.0 && !isNan(r));
  }
}
