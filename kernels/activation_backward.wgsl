// activation_backward.wgsl — dX = f'(·) · dY elementwise, for the activations of activation.wgsl.
//
// What: `saved` is what PyTorch's backward of each activation reads:
//   KIND 0 relu (threshold_backward on the OUTPUT y, so the forward may run in place):
//     dX = 0 where y <= 0, else dY; a NaN output passes dY.
//   KIND 1 leaky_relu (leaky_relu_backward on the INPUT x): dX = dY where x > 0, else slope · dY;
//     a NaN input takes the slope branch, as in PyTorch.
//   KIND 2 sigmoid (OUTPUT y): dX = dY · y · (1 − y).    KIND 3 tanh (OUTPUT y): dX = dY · (1 − y²).
//   KIND 4 gelu (INPUT x): dX = dY · (Φ(x) + x·φ(x)).   KIND 5 silu (INPUT x): dX = dY · s · (1 + x·(1 − s)), s = σ(x).
// Layouts: saved, dY and dX hold the same n elements.
// Bindings: 0 uniform Params, 1 saved (read), 2 dY (read), 3 dX (write). dX may alias nothing.
// Uniforms: total = n, slope (used only by leaky_relu).
// Override constants: KIND as in activation.wgsl.
// Prepended when loaded: common/activation_params.wgsl (Params), common/is_nan.wgsl, common/activation_math.wgsl.
// Dispatch: one invocation per element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.
//   main4 (relu and leaky_relu, n a multiple of 4): one invocation per vec4 (total = n / 4), the
//   same selects per component (see activation.wgsl); saved, dY and dX read as array<vec4f>.

override KIND: u32 = 0u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> saved: array<f32>;
@group(0) @binding(2) var<storage, read> dY: array<f32>;
@group(0) @binding(3) var<storage, read_write> dX: array<f32>;
@group(0) @binding(1) var<storage, read> saved4: array<vec4f>;
@group(0) @binding(2) var<storage, read> dY4: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> dX4: array<vec4f>;

fn derivative(s: f32) -> f32 {
  switch (KIND) {
    case 2u: { return s * (1.0 - s); }
    case 3u: { return 1.0 - s * s; }
    case 4u: { return geluGrad(s); }
    default: { return siluGrad(s); }
  }
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let r = saved[idx];
  let g = dY[idx];
  if (KIND == 0u) {
    dX[idx] = select(g, 0.0, r <= 0.0 && !isNan(r));
  } else if (KIND == 1u) {
    dX[idx] = select(g * p.slope, g, r > 0.0 && !isNan(r));
  } else {
    dX[idx] = g * derivative(r);
  }
}

@compute @workgroup_size(256, 1, 1)
fn main4(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let r = saved4[idx];
  let g = dY4[idx];
  if (KIND == 0u) {
    dX4[idx] = select(g, vec4f(0.0), (r <= vec4f(0.0)) & !isNan4(r));
  } else {
    dX4[idx] = select(g * p.slope, g, (r > vec4f(0.0)) & !isNan4(r));
  }
}
