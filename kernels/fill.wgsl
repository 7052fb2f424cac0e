// fill.wgsl — x[i] = value for i < n
//
// What: zeroing gradients and momentum buffers (or any constant) on the device, without an upload.
// Layouts: x (n) f32.
// Bindings: 0 uniform Params, 1 x (read_write).
// Uniforms: total = n, rowPitch, value.
// Dispatch: one invocation per element, 256 per workgroup, index gid.x + gid.y · rowPitch.

struct Params { total: u32, rowPitch: u32, value: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * p.rowPitch;
  if (i >= p.total) { return; }
  x[i] = p.value;
}
