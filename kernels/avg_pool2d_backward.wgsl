// avg_pool2d_backward.wgsl — dX[n, c, h, w] = Σ dY[n, c, oh, ow] / divisor(oh, ow) over the windows containing (h, w).
//
// What: the adjoint of avg_pool2d.wgsl, written as a gather: each input pixel enumerates the
//   windows that can contain it (tap i of window oh lands on h when oh = (h + ph − i)/sh divides
//   exactly and is < Ho; likewise for w). No atomics, fixed order, deterministic. The divisor is
//   the forward's, recomputed per window.
// Layouts: dY (N, C, Ho, Wo), dX (N, C, H, W), row-major f32; dX is overwritten.
// Bindings: 0 uniform Params, 1 dY (read), 2 dX (write).
// Uniforms: total = N·C·H·W; the rest as in avg_pool2d.wgsl.
// Prepended when loaded: common/pool_params.wgsl (Params), common/avg_pool_divisor.wgsl (divisor).
//   mainGlobal: one window over the whole unpadded plane (Ho = Wo = 1, as global average pooling):
//   every pixel's only window is window 0, so it reads dY[n, c] once instead of looping over
//   kh·kw taps with a division and a modulo each (same value: 0 + dY / divisor).
// Dispatch: one invocation per input element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dY: array<f32>;
@group(0) @binding(2) var<storage, read_write> dX: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let w = idx % p.inWidth;
  let h = (idx / p.inWidth) % p.inHeight;
  let plane = idx / (p.inWidth * p.inHeight);
  let outBase = plane * p.outHeight * p.outWidth;
  var sum = 0.0;
  for (var i = 0u; i < p.kernelH; i++) {
    if (h + p.padH < i) { break; }
    let th = h + p.padH - i;
    if (th % p.strideH != 0u) { continue; }
    let oh = th / p.strideH;
    if (oh >= p.outHeight) { continue; }
    for (var j = 0u; j < p.kernelW; j++) {
      if (w + p.padW < j) { break; }
      let tw = w + p.padW - j;
      if (tw % p.strideW != 0u) { continue; }
      let ow = tw / p.strideW;
      if (ow >= p.outWidth) { continue; }
      let h0 = i32(oh * p.strideH) - i32(p.padH);
      let w0 = i32(ow * p.strideW) - i32(p.padW);
      sum += dY[outBase + oh * p.outWidth + ow] / divisor(h0, w0);
    }
  }
  dX[idx] = sum;
}

@compute @workgroup_size(256, 1, 1)
fn mainGlobal(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  var sum = 0.0;
  sum += dY[idx / (p.inWidth * p.inHeight)] / divisor(0, 0);
  dX[idx] = sum;
}
