// max_pool2d.wgsl — y = the maximum of each (dilated) pooling window, argmax = where it was.
//
// What: window (oh, ow) of plane (n, c) has taps (oh·sh − ph + i·dh, ow·sw − pw + j·dw),
//   i < kh, j < kw; taps outside the input are skipped (padding is −inf). Taps are walked in
//   row-major order and a tap replaces the best only when strictly greater, so ties keep the first
//   maximum; a NaN always replaces it, so NaN propagates with the index of the window's last NaN.
//   This is ATen's CPU kernel, tap for tap. A window that misses the input entirely (possible
//   only with dilation) gives −inf and the sentinel index H·W, which the backward ignores.
// Layouts: x (N, C, H, W), y and argmax (N, C, Ho, Wo), row-major. argmax is a u32 per output:
//   the flat index h·W + w inside the input plane (read it back as u32 bits, not as f32).
// Bindings: 0 uniform Params, 1 x (read), 2 y (write), 3 argmax (write).
// Uniforms: total = N·C·Ho·Wo; countIncludePad is unused (shared struct of the pool kernels).
// Dispatch: one invocation per output element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

struct Params {
  total: u32, rowPitch: u32, inHeight: u32, inWidth: u32,
  outHeight: u32, outWidth: u32, kernelH: u32, kernelW: u32,
  strideH: u32, strideW: u32, padH: u32, padW: u32,
  dilationH: u32, dilationW: u32, countIncludePad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> argmax: array<u32>;

// Bit tests, because WGSL lets comparisons with NaN return an indeterminate value.
fn isNan(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

// First tap at or after `start` that is >= 0 and on the dilated grid.
fn firstTap(start: i32, dilation: i32) -> i32 {
  if (start >= 0) { return start; }
  return start + ((-start + dilation - 1) / dilation) * dilation;
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let ow = idx % p.outWidth;
  let oh = (idx / p.outWidth) % p.outHeight;
  let plane = idx / (p.outWidth * p.outHeight);
  let inPlane = p.inHeight * p.inWidth;
  let dh = i32(p.dilationH);
  let dw = i32(p.dilationW);
  let hStart = i32(oh * p.strideH) - i32(p.padH);
  let wStart = i32(ow * p.strideW) - i32(p.padW);
  let hEnd = min(hStart + i32(p.kernelH - 1u) * dh + 1, i32(p.inHeight));
  let wEnd = min(wStart + i32(p.kernelW - 1u) * dw + 1, i32(p.inWidth));

  var negInf = 0xff800000u; // a var, so the bitcast below is not a (rejected) constant infinity
  var best = bitcast<f32>(negInf);
  var bestIndex = inPlane;
  for (var h = firstTap(hStart, dh); h < hEnd; h += dh) {
    for (var w = firstTap(wStart, dw); w < wEnd; w += dw) {
      let cell = u32(h) * p.inWidth + u32(w);
      let v = x[plane * inPlane + cell];
      if (bestIndex == inPlane || isNan(v) || (!isNan(best) && v > best)) {
        best = v;
        bestIndex = cell;
      }
    }
  }
  y[idx] = best;
  argmax[idx] = bestIndex;
}
