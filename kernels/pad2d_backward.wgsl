// pad2d_backward.wgsl — dX[plane, h, w] = Σ dY[plane, qh, qw] over the padded cells that copy
// x[plane, h, w] (the adjoint of pad2d.wgsl).
//
// What: a gather, so no atomics and a fixed order. The padding is separable: cell (qh, qw) copies
//   (padSource(qh), padSource(qw)), so the cells copying (h, w) are the pairs of a row that
//   copies h and a column that copies w. The rows that can copy h are h + top itself and the
//   top + bottom border rows; tap t < top is border row t, t = top is h + top, t > top is bottom
//   border row H + t − 1 (likewise for columns). A border tap counts when padSource maps it to h.
//   Cost per cell (1 + top + bottom)·(1 + left + right) taps: a conv pads by a few cells.
// Layouts: dY (planes, H + top + bottom, W + left + right), dX (planes, H, W), row-major f32;
//   dX is overwritten.
// Bindings: 0 uniform Params, 1 dY (read), 2 dX (write).
// Uniforms: total = planes · H · W.
// Override constants: MODE (see common/pad_params.wgsl).
// Prepended when loaded: common/pad_params.wgsl (Params, MODE, padSource).
// Dispatch: one invocation per input element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dY: array<f32>;
@group(0) @binding(2) var<storage, read_write> dX: array<f32>;

// Padded index of tap t for input index i on an axis (see What).
fn tapIndex(t: u32, i: u32, size: u32, before: u32) -> u32 {
  if (t < before) { return t; }
  if (t == before) { return i + before; }
  return size + t - 1u;
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let w = idx % p.width;
  let h = (idx / p.width) % p.height;
  let plane = idx / (p.width * p.height);
  let base = plane * p.outHeight * p.outWidth;
  var sum = 0.0;
  for (var th = 0u; th <= p.top + p.bottom; th++) {
    let qh = tapIndex(th, h, p.height, p.top);
    if (padSource(qh, p.height, p.top) != h) { continue; }
    for (var tw = 0u; tw <= p.left + p.right; tw++) {
      let qw = tapIndex(tw, w, p.width, p.left);
      if (padSource(qw, p.width, p.left) != w) { continue; }
      sum += dY[base + qh * p.outWidth + qw];
    }
  }
  dX[idx] = sum;
}
