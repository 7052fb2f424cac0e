// activation.wgsl — y = relu(x) or y = leaky_relu(x, slope), elementwise.
//
// What: LEAKY = false: y = 0 where x < 0, else x (PyTorch's clamp_min: NaN stays NaN, −0 stays −0).
//   LEAKY = true: y = x where x > 0, else slope · x.
//   NaN is tested on the bits: WGSL lets a comparison with NaN return an indeterminate value.
// Layouts: x and y hold the same n elements (any shape); y may not alias x.
// Bindings: 0 uniform Params, 1 x (read), 2 y (write).
// Uniforms: total = n, slope (used only when LEAKY).
// Override constants: LEAKY picks the activation, so each gets its own cached pipeline.
// Prepended when loaded: common/activation_params.wgsl (Params), common/is_nan.wgsl.
// Dispatch: one invocation per element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

override LEAKY: bool = false;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let v = x[idx];
  if (LEAKY) {
    y[idx] = select(v * p.slope, v, v > 0.0 && !isNan(v));
  } else {
    y[idx] = select(v, 0.0, v < 0.0 && !isNan(v));
  }
}
