// common/avg_pool_divisor.wgsl — the divisor of one average-pooling window (needs `p: Params` of
// common/pool_params.wgsl), shared so that the forward and its backward cannot disagree.
//
// ATen's rule, for the window whose first cell is (h0, w0) (may be negative: padding):
// with countIncludePad the padded cells count, but only up to the padded border H + ph (a
// ceil-mode window hanging beyond it does not count that part); without it, only the cells
// inside the input.

fn divisor(h0: i32, w0: i32) -> f32 {
  let h1 = min(h0 + i32(p.kernelH), i32(p.inHeight + p.padH));
  let w1 = min(w0 + i32(p.kernelW), i32(p.inWidth + p.padW));
  if (p.countIncludePad != 0u) { return f32((h1 - h0) * (w1 - w0)); }
  return f32((min(h1, i32(p.inHeight)) - max(h0, 0)) * (min(w1, i32(p.inWidth)) - max(w0, 0)));
}
