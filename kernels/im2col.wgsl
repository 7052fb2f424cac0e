// im2col.wgsl — unfold every receptive field of a batch of images into columns.
//
// What: columns[n, r, oh·Wo + ow] = input[n, c, oh·sh − padTop + i·dh, ow·sw − padLeft + j·dw]
//   (0 outside the image), with r = (c·kh + i)·kw + j. One matrix per sample, so the forward
//   GEMM of sample n and group g reads rows [g·Kg, (g+1)·Kg) of columns[n].
// Layouts: input (N, C, H, W), columns (N, C·kh·kw, Ho·Wo), both row-major f32.
// Bindings: 0 uniform Params, 1 input (read), 2 columns (write).
// Prepended when loaded: common/unfold_params.wgsl (Params).
// Dispatch: one invocation per column element, 256 per workgroup, linear index
//   gid.x + gid.y · rowPitch (rowPitch = 256 · workgroups in x), so the grid may be 2-D when the
//   element count exceeds 65535 workgroups.

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> input: array<f32>;
@group(0) @binding(2) var<storage, read_write> columns: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let pixels = p.outHeight * p.outWidth;
  let rows = p.channels * p.kernelH * p.kernelW;
  let l = idx % pixels;
  let r = (idx / pixels) % rows;
  let n = idx / (pixels * rows);
  let ow = l % p.outWidth;
  let oh = l / p.outWidth;
  let j = r % p.kernelW;
  let i = (r / p.kernelW) % p.kernelH;
  let ch = r / (p.kernelW * p.kernelH);
  // Signed arithmetic: the padded position may be negative.
  let h = i32(oh * p.strideH + i * p.dilationH) - i32(p.padTop);
  let w = i32(ow * p.strideW + j * p.dilationW) - i32(p.padLeft);
  var v = 0.0;
  if (h >= 0 && h < i32(p.height) && w >= 0 && w < i32(p.width)) {
    v = input[((n * p.channels + ch) * p.height + u32(h)) * p.width + u32(w)];
  }
  columns[idx] = v;
}
