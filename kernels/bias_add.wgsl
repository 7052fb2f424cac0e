// bias_add.wgsl — out[n, c, l] += bias[c]
//
// What: adds a per-channel bias to an (N, C, L) tensor in place (L = H·W for conv, 1 for Linear).
// Bindings: 0 uniform Params, 1 bias (read), 2 out (read_write).
// Dispatch: one invocation per element of out, 256 per workgroup, linear index
//   gid.x + gid.y · rowPitch.

struct Params { total: u32, rowPitch: u32, channels: u32, pixels: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> bias: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  out[idx] = out[idx] + bias[(idx / p.pixels) % p.channels];
}
