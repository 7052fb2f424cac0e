// activation.wgsl — y = f(x) elementwise for relu, leaky_relu, sigmoid, tanh, gelu or silu.
//
// What: KIND 0 relu: y = 0 where x < 0, else x (PyTorch's clamp_min: NaN stays NaN, −0 stays −0).
//   KIND 1 leaky_relu: y = x where x > 0, else slope · x.
//   KIND 2 sigmoid, 3 tanh, 4 gelu (exact: x·Φ(x), nn.GELU()'s default), 5 silu (x·sigmoid(x)),
//   from common/activation_math.wgsl; a NaN input gives NaN.
//   NaN is tested on the bits: WGSL lets a comparison with NaN return an indeterminate value.
// Layouts: x and y hold the same n elements (any shape); y may not alias x.
// Bindings: 0 uniform Params, 1 x (read), 2 y (write).
// Uniforms: total = n, slope (used only by leaky_relu).
// Override constants: KIND picks the activation, so each gets its own cached pipeline.
// Prepended when loaded: common/activation_params.wgsl (Params), common/is_nan.wgsl, common/activation_math.wgsl.
// Dispatch: one invocation per element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.
//   main4 (relu and leaky_relu, n a multiple of 4): one invocation per vec4 (total = n / 4), the
//   same selects per component; vec4 loads and stores are a quarter of the memory operations, what
//   an elementwise kernel costs on a software adapter (a 1M-element relu: 21 → 10 ms on SwiftShader).
//   x and y are then read as array<vec4f> (the same bindings).

override KIND: u32 = 0u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x4: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> y4: array<vec4f>;

fn smoothOf(v: f32) -> f32 {
  switch (KIND) {
    case 2u: { return sigmoidOf(v); }
    case 3u: { return tanhOf(v); }
    case 4u: { return geluOf(v); }
    default: { return v * sigmoidOf(v); }
  }
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let v = x[idx];
  if (KIND == 0u) {
    y[idx] = select(v, 0.0, v < 0.0 && !isNan(v));
  } else if (KIND == 1u) {
    y[idx] = select(v * p.slope, v, v > 0.0 && !isNan(v));
  } else {
    y[idx] = select(smoothOf(v), v, isNan(v));
  }
}

@compute @workgroup_size(256, 1, 1)
fn main4(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let v = x4[idx];
  if (KIND == 0u) {
    y4[idx] = select(v, vec4f(0.0), (v < vec4f(0.0)) & !isNan4(v));
  } else {
    y4[idx] = select(v * p.slope, v, (v > vec4f(0.0)) & !isNan4(v));
  }
}
