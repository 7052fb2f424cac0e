// max_pool2d_backward_scatter.wgsl — dX for max pools whose windows tile the input exactly.
//
// What: when stride = kernel, padding 0, dilation 1 and Ho·kh = H, Wo·kw = W (maxpool(2) on an
//   even plane, the common case), every input pixel lies in exactly one window. Then one
//   invocation per OUTPUT writes its window: dY at the argmax, 0 at the other taps. That is
//   kh·kw stores per output and two loads, against max_pool2d_backward.wgsl's loop over the
//   windows of every input pixel; each dX element is written once, so there is still no atomic
//   and the result is exact. Overlapping or partial windows keep the gather kernel.
// Layouts: dY and argmax (N, C, Ho, Wo) as written by max_pool2d.wgsl (argmax as u32, the flat
//   h·W + w in the plane); dX (N, C, H, W), row-major f32, overwritten.
// Bindings: 0 uniform Params, 1 dY (read), 2 argmax (read), 3 dX (write).
// Uniforms: total = N·C·Ho·Wo; the rest as in max_pool2d.wgsl (padding, dilation unused here).
// Dispatch: one invocation per output element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

struct Params {
  total: u32, rowPitch: u32, inHeight: u32, inWidth: u32,
  outHeight: u32, outWidth: u32, kernelH: u32, kernelW: u32,
  strideH: u32, strideW: u32, padH: u32, padW: u32,
  dilationH: u32, dilationW: u32, countIncludePad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dY: array<f32>;
@group(0) @binding(2) var<storage, read> argmax: array<u32>;
@group(0) @binding(3) var<storage, read_write> dX: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let ow = idx % p.outWidth;
  let oh = (idx / p.outWidth) % p.outHeight;
  let plane = idx / (p.outWidth * p.outHeight);
  let g = dY[idx];
  let winner = argmax[idx];
  let h0 = oh * p.kernelH;
  let w0 = ow * p.kernelW;
  let base = plane * p.inHeight * p.inWidth;
  for (var i = 0u; i < p.kernelH; i++) {
    let row = (h0 + i) * p.inWidth;
    for (var j = 0u; j < p.kernelW; j++) {
      let cell = row + w0 + j;
      dX[base + cell] = select(0.0, g, cell == winner);
    }
  }
}
