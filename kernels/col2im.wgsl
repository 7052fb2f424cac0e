// col2im.wgsl — fold columns back into an image, adding overlapping receptive fields.
//
// What: dInput[n, c, h, w] = Σ over kernel taps (i, j) and output pixels (oh, ow) with
//   oh·sh − padTop + i·dh = h and ow·sw − padLeft + j·dw = w of columns[n, (c·kh + i)·kw + j, oh·Wo + ow].
//   Written as a gather (one invocation per input pixel walks its kernel taps), so there are no
//   atomics and the sum order is fixed: results are deterministic.
// Layouts: columns (N, C·kh·kw, Ho·Wo), dInput (N, C, H, W), row-major f32. dInput is overwritten.
// Bindings: 0 uniform Params, 1 columns (read), 2 dInput (write).
// Prepended when loaded: common/unfold_params.wgsl (Params).
// Dispatch: one invocation per input element, 256 per workgroup, linear index
//   gid.x + gid.y · rowPitch as in im2col.

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> columns: array<f32>;
@group(0) @binding(2) var<storage, read_write> dInput: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let w = idx % p.width;
  let h = (idx / p.width) % p.height;
  let ch = (idx / (p.width * p.height)) % p.channels;
  let n = idx / (p.width * p.height * p.channels);
  let pixels = p.outHeight * p.outWidth;
  let rows = p.channels * p.kernelH * p.kernelW;
  let sampleBase = n * rows * pixels;
  var sum = 0.0;
  for (var i = 0u; i < p.kernelH; i++) {
    let hh = i32(h + p.padTop) - i32(i * p.dilationH);
    if (hh < 0 || hh % i32(p.strideH) != 0) { continue; }
    let oh = u32(hh) / p.strideH;
    if (oh >= p.outHeight) { continue; }
    for (var j = 0u; j < p.kernelW; j++) {
      let ww = i32(w + p.padLeft) - i32(j * p.dilationW);
      if (ww < 0 || ww % i32(p.strideW) != 0) { continue; }
      let ow = u32(ww) / p.strideW;
      if (ow >= p.outWidth) { continue; }
      let r = (ch * p.kernelH + i) * p.kernelW + j;
      sum += columns[sampleBase + r * pixels + oh * p.outWidth + ow];
    }
  }
  dInput[idx] = sum;
}
