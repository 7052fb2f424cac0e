// common/pool_params.wgsl — the uniforms of every pool kernel (max_pool2d*.wgsl, avg_pool2d*.wgsl):
// the pool geometry of src/engine/pool/geometry.ts. total is the invocation count (outputs for
// forward and scatter kernels, inputs for gather kernels); rowPitch the grid row pitch. Max pools
// ignore countIncludePad; avg pools require dilation 1 (checked by the op).
// TypeScript twin: POOL_UNIFORMS in src/engine/webgpu/ops/pool.ts.

struct Params {
  total: u32, rowPitch: u32, inHeight: u32, inWidth: u32,
  outHeight: u32, outWidth: u32, kernelH: u32, kernelW: u32,
  strideH: u32, strideW: u32, padH: u32, padW: u32,
  dilationH: u32, dilationW: u32, countIncludePad: u32,
}
