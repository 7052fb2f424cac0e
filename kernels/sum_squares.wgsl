// sum_squares.wgsl — out[outIndex] = Σ x², in two deterministic levels
//
// What: the squared L2 norm of one tensor (a parameter's gradient), written into one slot of a
//   small buffer that collects every parameter's norm for a single asynchronous readback.
//   partials: workgroup w sums x[i]² for i = w·256 + lid, stepping by groups·256, then a tree
//             reduction writes partials[w].
//   finish:   one workgroup sums partials[0..groups) into out[outIndex]; skipped when
//             groups = 1 (up to 16,384 elements), where partial writes out[outIndex] itself.
//   groups depends only on n, and every reduction has a fixed order: no atomics, same bits
//   every run.
// Layouts: x (n) f32; partials (groups ≤ 256) scratch; out (any length > outIndex).
// Bindings: 0 uniform Params, 1 x (read), 2 partials, 3 out (read_write).
// Uniforms: n, groups, outIndex.
// Dispatch: partials x = groups workgroups of 256; finish 1 workgroup of 256 (only when groups > 1).

struct Params { n: u32, groups: u32, outIndex: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

var<workgroup> scratch: array<f32, 256>;

fn treeSum(lid: u32) -> f32 {
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { scratch[lid] += scratch[lid + stride]; }
    workgroupBarrier();
  }
  return scratch[0];
}

@compute @workgroup_size(256, 1, 1)
fn partial(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  var sum = 0.0;
  for (var i = wid.x * 256u + lid; i < p.n; i += p.groups * 256u) {
    let v = x[i];
    sum += v * v;
  }
  scratch[lid] = sum;
  let total = treeSum(lid);
  if (lid == 0u) {
    // A single group is the whole sum: write it out and skip the finish pass.
    if (p.groups == 1u) { out[p.outIndex] = total; } else { partials[wid.x] = total; }
  }
}

@compute @workgroup_size(256, 1, 1)
fn finish(@builtin(local_invocation_index) lid: u32) {
  var v = 0.0;
  if (lid < p.groups) { v = partials[lid]; }
  scratch[lid] = v;
  let total = treeSum(lid);
  if (lid == 0u) { out[p.outIndex] = total; }
}
