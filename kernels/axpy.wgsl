// axpy.wgsl — y[i] += alpha · x[i] for i < n (BLAS axpy)
//
// What: gradient accumulation and other in-place scaled adds.
// Layouts: x, y (n) f32.
// Bindings: 0 uniform Params, 1 x (read), 2 y (read_write).
// Uniforms: total = n, rowPitch, alpha.
// Dispatch: one invocation per element, 256 per workgroup, index gid.x + gid.y · rowPitch;
//   main4 (n a multiple of 4): one per vec4, total = n / 4, x and y read as array<vec4f> (the same
//   arithmetic per element, a quarter of the memory operations).

struct Params { total: u32, rowPitch: u32, alpha: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> x4: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> y4: array<vec4f>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * p.rowPitch;
  if (i >= p.total) { return; }
  y[i] = y[i] + p.alpha * x[i];
}

@compute @workgroup_size(256, 1, 1)
fn main4(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * p.rowPitch;
  if (i >= p.total) { return; }
  y4[i] = y4[i] + p.alpha * x4[i];
}
