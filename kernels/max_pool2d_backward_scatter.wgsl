// max_pool2d_backward_scatter.wgsl — dX for max pools whose windows tile the input exactly;
// with RELU, the backward of a ReLU fused in front of the pool as well.
//
// What: when stride = kernel, padding 0, dilation 1 and Ho·kh = H, Wo·kw = W (maxpool(2) on an
//   even plane, the common case), every input pixel lies in exactly one window. Then one
//   invocation per OUTPUT writes its window: dY at the argmax, 0 at the other taps. That is
//   kh·kw stores per output and two loads (three with RELU), against max_pool2d_backward.wgsl's loop over the
//   windows of every input pixel; each dX element is written once, so there is still no atomic
//   and the result is exact. Overlapping or partial windows keep the gather kernel.
//   RELU: reluOutput (y) is the fused forward's output relu(max) (max_pool2d.wgsl with RELU).
//   The ReLU's threshold_backward passes a gradient where its output is not <= 0 (> 0, or NaN),
//   and the winning tap's relu output is > 0 or NaN exactly when y is: dY reaches the argmax only
//   where y > 0 or y is NaN, which is the unfused relu-then-pool backward, bit for bit.
// Layouts: dY, reluOutput and argmax (N, C, Ho, Wo) as written by max_pool2d.wgsl (argmax as
//   u32, the flat h·W + w in the plane); dX (N, C, H, W), row-major f32, overwritten.
// Bindings: 0 uniform Params, 1 dY (read), 2 argmax (read), 3 dX (write), 4 reluOutput (read;
//   read only with RELU, and the op binds dY there without it).
// Uniforms: total = N·C·Ho·Wo; the rest as in max_pool2d.wgsl (padding, dilation unused here).
// Override constants: RELU (see What); WINDOW_2X2: kh = kw = 2, stores unrolled (SwiftShader runs
//   loops slowly per lane).
// Prepended when loaded: common/pool_params.wgsl (Params), common/is_nan.wgsl.
// Dispatch: one invocation per output element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

override RELU: bool = false;
override WINDOW_2X2: bool = false;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dY: array<f32>;
@group(0) @binding(2) var<storage, read> argmax: array<u32>;
@group(0) @binding(3) var<storage, read_write> dX: array<f32>;
@group(0) @binding(4) var<storage, read> reluOutput: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
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

  var g = dY[idx];
  if (RELU) {
    let out = reluOutput[idx];
    g = select(0.0, g, isNan(out) || out > 0.0);
  }
  let winner = argmax[idx];
  if (WINDOW_2X2) {
    dX[planeStart + corner] = select(0.0, g, corner == winner);
    dX[planeStart + corner + 1u] = select(0.0, g, corner + 1u == winner);
    dX[planeStart + corner + width] = select(0.0, g, corner + width == winner);
    dX[planeStart + corner + width + 1u] = select(0.0, g, corner + width + 1u == winner);
  } else {
    for (var i = 0u; i < p.kernelH; i++) {
      for (var j = 0u; j < p.kernelW; j++) {
        let cell = corner + i * width + j;
        dX[planeStart + cell] = select(0.0, g, cell == winner);
      }
    }
  }
}
