// max_pool2d_backward.wgsl — dX[n, c, h, w] = Σ dY[n, c, oh, ow] over the windows whose argmax is (h, w);
// with RELU, the backward of a ReLU fused in front of the pool as well.
//
// What: written as a gather, not a scatter: each input pixel enumerates the windows that can
//   contain it (tap i of window oh lands on h when oh·sh − ph + i·dh = h, so oh = (h + ph − i·dh)/sh
//   when that divides exactly and is < Ho; likewise for w) and adds dY where argmax points back at
//   it. No atomics, a fixed summation order, so the result is deterministic. Each window contains
//   a pixel at most once (distinct taps are distinct positions), so nothing is counted twice.
//   RELU: reluOutput (y) is the fused forward's output relu(max) (max_pool2d.wgsl with RELU); a
//   window adds its dY only where y > 0 or y is NaN. That is the ReLU's threshold_backward (pass
//   unless its output is <= 0). A window whose argmax is (h, w) has y > 0 or NaN exactly when
//   relu(x[h, w]) is, so all those windows share the mask the unfused ReLU applies to (h, w), and
//   the sum is the unfused one bit for bit.
// Layouts: dY, reluOutput and argmax (N, C, Ho, Wo) as written by max_pool2d.wgsl (argmax as
//   u32); dX (N, C, H, W), row-major f32, overwritten.
// Bindings: 0 uniform Params, 1 dY (read), 2 argmax (read), 3 dX (write), 4 reluOutput (read;
//   read only with RELU, and the op binds dY there without it).
// Uniforms: total = N·C·H·W; the rest as in max_pool2d.wgsl.
// Override constants: RELU (see What).
// Prepended when loaded: common/pool_params.wgsl (Params), common/is_nan.wgsl.
// Dispatch: one invocation per input element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

override RELU: bool = false;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dY: array<f32>;
@group(0) @binding(2) var<storage, read> argmax: array<u32>;
@group(0) @binding(3) var<storage, read_write> dX: array<f32>;
@group(0) @binding(4) var<storage, read> reluOutput: array<f32>;

// Whether window o passes its gradient on: always without RELU, else where relu(max) is > 0 or NaN.
fn passes(o: u32) -> bool {
  if (!RELU) { return true; }
  let out = reluOutput[o];
  return isNan(out) || out > 0.0;
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let w = idx % p.inWidth;
  let h = (idx / p.inWidth) % p.inHeight;
  let plane = idx / (p.inWidth * p.inHeight);
  let cell = h * p.inWidth + w;
  let outBase = plane * p.outHeight * p.outWidth;
  var sum = 0.0;
  for (var i = 0u; i < p.kernelH; i++) {
    // Unsigned arithmetic: skip taps that would put the window start below row −ph.
    if (h + p.padH < i * p.dilationH) { break; }
    let th = h + p.padH - i * p.dilationH;
    if (th % p.strideH != 0u) { continue; }
    let oh = th / p.strideH;
    if (oh >= p.outHeight) { continue; }
    for (var j = 0u; j < p.kernelW; j++) {
      if (w + p.padW < j * p.dilationW) { break; }
      let tw = w + p.padW - j * p.dilationW;
      if (tw % p.strideW != 0u) { continue; }
      let ow = tw / p.strideW;
      if (ow >= p.outWidth) { continue; }
      let o = outBase + oh * p.outWidth + ow;
      if (argmax[o] == cell && passes(o)) { sum += dY[o]; }
    }
  }
  dX[idx] = sum;
}
