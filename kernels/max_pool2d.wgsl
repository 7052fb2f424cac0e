// max_pool2d.wgsl — y = the maximum of each (dilated) pooling window, argmax = where it was;
// with RELU, y = relu of that maximum (a ReLU layer fused in front of the pool).
//
// What: window (oh, ow) of plane (n, c) has taps (oh·sh − ph + i·dh, ow·sw − pw + j·dw),
//   i < kh, j < kw; taps outside the input are skipped (padding is −inf). Taps are walked in
//   row-major order and a tap replaces the best only when strictly greater, so ties keep the first
//   maximum; a NaN always replaces it, so NaN propagates with the index of the window's last NaN.
//   This is ATen's CPU kernel, tap for tap. A window that misses the input entirely (possible
//   only with dilation) gives −inf and the sentinel index H·W, which the backward ignores.
//   RELU: relu is non-decreasing, so pool(relu(x)) = relu(pool(x)); y is made equal to the
//   unfused relu-then-pool bit for bit. A window whose max is > 0 or NaN keeps it (the same tap
//   wins either way). Otherwise every relu'd tap is ±0, and the unfused pool keeps the FIRST of
//   them: y = relu(first tap), which is −0 only when that tap is −0. A window that misses the
//   input stays −inf (the unfused pool also sees no tap). argmax stays this pool's own: it can
//   differ from the unfused one only where y <= 0, and there the fused backward sends nothing.
// Entry points: main handles every geometry. main_tiled is for windows that tile the input
//   exactly (stride = kernel, no padding, dilation 1, Ho·kh = H, Wo·kw = W; windowsTileInput in
//   src/engine/webgpu/ops/pool.ts): no bounds or first-tap arithmetic, and two integer divisions
//   instead of main's three or more (SwiftShader scalarises integer division).
// Layouts: x (N, C, H, W), y and argmax (N, C, Ho, Wo), row-major. argmax is a u32 per output:
//   the flat index h·W + w inside the input plane (read it back as u32 bits, not as f32).
// Bindings: 0 uniform Params, 1 x (read), 2 y (write), 3 argmax (write).
// Uniforms: total = N·C·Ho·Wo; countIncludePad is unused (shared struct of the pool kernels).
// Override constants: RELU (see What). WINDOW_2X2, main_tiled only: kh = kw = 2, taps unrolled,
//   because a loop costs SwiftShader more than the three compares it would run.
// Prepended when loaded: common/pool_params.wgsl (Params), common/is_nan.wgsl.
// Dispatch: one invocation per output element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

override RELU: bool = false;
override WINDOW_2X2: bool = false;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> argmax: array<u32>;

struct Best { value: f32, index: u32 }

// Whether tap value v replaces the best so far: strictly greater (ties keep the first), or NaN.
fn beats(v: f32, best: f32) -> bool {
  return isNan(v) || (!isNan(best) && v > best);
}

// The window's best after one more tap. select, not if: SwiftShader pays for a per-lane branch.
fn consider(best: Best, v: f32, cell: u32) -> Best {
  let wins = beats(v, best.value);
  return Best(select(best.value, v, wins), select(best.index, cell, wins));
}

// y of a non-empty window under RELU (see What): the max when it is > 0 or NaN, else relu(first tap).
fn reluOfMax(best: f32, first: f32) -> f32 {
  if (isNan(best) || best > 0.0) { return best; }
  // No tap is NaN here (a NaN would be the best), so the comparison is determinate.
  return select(first, 0.0, first < 0.0);
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
  let hFirst = firstTap(hStart, dh);
  let wFirst = firstTap(wStart, dw);
  let hEnd = min(hStart + i32(p.kernelH - 1u) * dh + 1, i32(p.inHeight));
  let wEnd = min(wStart + i32(p.kernelW - 1u) * dw + 1, i32(p.inWidth));

  var negInf = 0xff800000u; // a var, so the bitcast below is not a (rejected) constant infinity
  var best = Best(bitcast<f32>(negInf), inPlane);
  for (var h = hFirst; h < hEnd; h += dh) {
    for (var w = wFirst; w < wEnd; w += dw) {
      let cell = u32(h) * p.inWidth + u32(w);
      let v = x[plane * inPlane + cell];
      // The first tap always counts, so a window of −inf values points at its first cell.
      if (best.index == inPlane || beats(v, best.value)) { best = Best(v, cell); }
    }
  }
  var out = best.value;
  if (RELU && best.index != inPlane) {
    out = reluOfMax(best.value, x[plane * inPlane + u32(hFirst) * p.inWidth + u32(wFirst)]);
  }
  y[idx] = out;
  argmax[idx] = best.index;
}

@compute @workgroup_size(256, 1, 1)
fn main_tiled(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  // Output row r = plane·Ho + oh covers input rows r·kh … r·kh + kh − 1 of the (N·C·H, W) stack,
  // because H = Ho·kh: the plane's offset needs oh, not a third division for the plane.
  let row = idx / p.outWidth;
  let ow = idx - row * p.outWidth;
  let oh = row % p.outHeight;
  let width = p.inWidth;
  let planeStart = (row - oh) * p.kernelH * width;
  let corner = oh * p.kernelH * width + ow * p.kernelW;

  let first = x[planeStart + corner];
  var best = Best(first, corner);
  if (WINDOW_2X2) {
    best = consider(best, x[planeStart + corner + 1u], corner + 1u);
    best = consider(best, x[planeStart + corner + width], corner + width);
    best = consider(best, x[planeStart + corner + width + 1u], corner + width + 1u);
  } else {
    // Tap (0, 0) comes round again; it never beats itself (NaN replacing NaN keeps the index).
    for (var i = 0u; i < p.kernelH; i++) {
      for (var j = 0u; j < p.kernelW; j++) {
        let cell = corner + i * width + j;
        best = consider(best, x[planeStart + cell], cell);
      }
    }
  }
  var out = best.value;
  if (RELU) { out = reluOfMax(best.value, first); }
  y[idx] = out;
  argmax[idx] = best.index;
}
