// avg_pool2d.wgsl — y = the mean of each pooling window (PyTorch's AvgPool2d, no dilation).
//
// What: window (oh, ow) covers rows [h0, h0 + kh) and columns [w0, w0 + kw) with
//   h0 = oh·sh − ph, w0 = ow·sw − pw; the sum runs over the cells inside the input. The divisor
//   (see divisor() below) is ATen's: with countIncludePad it counts padded cells, but only up to
//   the padded border H + ph (a ceil-mode window hanging beyond it does not count that part);
//   without it, only the cells inside the input.
// Layouts: x (N, C, H, W), y (N, C, Ho, Wo), row-major f32.
// Bindings: 0 uniform Params, 1 x (read), 2 y (write).
// Uniforms: total = N·C·Ho·Wo; dilationH/W are unused (must be 1; checked by the op).
// Prepended when loaded: common/pool_params.wgsl (Params), common/avg_pool_divisor.wgsl (divisor).
// Dispatch: one invocation per output element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let ow = idx % p.outWidth;
  let oh = (idx / p.outWidth) % p.outHeight;
  let plane = idx / (p.outWidth * p.outHeight);
  let h0 = i32(oh * p.strideH) - i32(p.padH);
  let w0 = i32(ow * p.strideW) - i32(p.padW);
  let hEnd = min(h0 + i32(p.kernelH), i32(p.inHeight));
  let wEnd = min(w0 + i32(p.kernelW), i32(p.inWidth));
  let base = plane * p.inHeight * p.inWidth;
  var sum = 0.0;
  for (var h = max(h0, 0); h < hEnd; h++) {
    for (var w = max(w0, 0); w < wEnd; w++) {
      sum += x[base + u32(h) * p.inWidth + u32(w)];
    }
  }
  y[idx] = sum / divisor(h0, w0);
}
