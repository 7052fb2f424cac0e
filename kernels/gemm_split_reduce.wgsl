// gemm_split_reduce.wgsl — finish a split-K GEMM: C[z] = alpha · Σ_s partials[s, z] + beta · C[z]
//
// What: gemm_tiled.wgsl with splits > 1 leaves one raw m×n sum per (slice s, matrix z). This
//   pass adds the slices in order s = 0, 1, … (so the result has the same bits every run: no
//   atomics) and applies alpha/beta with C's real leading dimension and batch strides.
// Layouts: partials[(s·batch + z)·m·n + row·n + col]; C row-major with ldc, matrix z at
//   offC + zo·strideCo + zi·strideCi (zo = z / batchInner, zi = z % batchInner).
// Bindings: 0 uniform Params, 1 partials (read), 2 C (read_write).
// Dispatch: one invocation per element of C over all matrices, 64 per workgroup, linear index
//   gid.x + gid.y · rowPitch (total = batch·m·n).
// beta == 0 never reads C.

struct Params {
  total: u32, rowPitch: u32, m: u32, n: u32,
  batch: u32, splits: u32, batchInner: u32, ldc: u32,
  offC: u32, strideCo: u32, strideCi: u32, alpha: f32,
  beta: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> partials: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let mn = p.m * p.n;
  let z = idx / mn;
  let e = idx % mn;
  let row = e / p.n;
  let col = e % p.n;
  let slice = p.batch * mn;
  var sum = 0.0;
  for (var s = 0u; s < p.splits; s++) {
    sum += partials[s * slice + idx];
  }
  let ci = p.offC + (z / p.batchInner) * p.strideCo + (z % p.batchInner) * p.strideCi + row * p.ldc + col;
  var out = p.alpha * sum;
  if (p.beta != 0.0) { out += p.beta * c[ci]; }
  c[ci] = out;
}
