// common/unfold_params.wgsl — the uniforms of im2col.wgsl and col2im.wgsl (one geometry, two
// directions): total invocations, the grid row pitch, the input plane (channels, height, width),
// the kernel, stride, top/left padding, dilation and the output plane.
// TypeScript twin: UNFOLD_UNIFORMS in src/engine/webgpu/kernels.ts.

struct Params {
  total: u32, rowPitch: u32, channels: u32, height: u32,
  width: u32, kernelH: u32, kernelW: u32, strideH: u32,
  strideW: u32, padTop: u32, padLeft: u32, dilationH: u32,
  dilationW: u32, outHeight: u32, outWidth: u32,
}
