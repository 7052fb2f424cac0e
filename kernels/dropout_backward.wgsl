// dropout_backward.wgsl — dX = dY · mask, with the mask the forward wrote (0 or 1/(1−p)).
//
// Layouts: dY, mask, dX hold the same n elements.
// Bindings: 0 uniform Params, 1 dY (read), 2 mask (read), 3 dX (write).
// Uniforms: total = n.
// Dispatch: one invocation per element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

struct Params { total: u32, rowPitch: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dY: array<f32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> dX: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  dX[idx] = dY[idx] * mask[idx];
}
