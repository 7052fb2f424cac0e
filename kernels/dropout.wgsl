// dropout.wgsl — training-mode dropout: mask = keep ? 1/(1−p) : 0, y = x · mask.
//
// What: element i is kept when pcgHash(i ^ pcgHash(seed)) >= threshold, threshold = floor(p·2³²)
//   computed by the op. A counter-based hash instead of an RNG stream: no state, no dependence on
//   dispatch order, and the float64 twin (src/engine/cpu/dropout.ts) reproduces the keep/drop
//   pattern bit for bit because the test is on integers. PCG hash: Jarzynski & Olano, "Hash
//   Functions for GPU Rendering" (JCGT 2020). u32 multiplication wraps, as the hash expects.
// Layouts: x, y, mask hold the same n elements.
// Bindings: 0 uniform Params, 1 x (read), 2 y (write), 3 mask (write).
// Uniforms: total = n, seed, threshold, scale = 1/(1−p) (0 when p = 1: no u32 threshold drops all).
// Dispatch: one invocation per element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

struct Params { total: u32, rowPitch: u32, seed: u32, threshold: u32, scale: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> mask: array<f32>;

fn pcgHash(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let draw = pcgHash(idx ^ pcgHash(p.seed));
  let m = select(0.0, p.scale, draw >= p.threshold);
  mask[idx] = m;
  y[idx] = x[idx] * m;
}
