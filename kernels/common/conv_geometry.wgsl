// common/conv_geometry.wgsl — the convolution geometry every implicit/direct conv kernel reads,
// as the first member `geo` of its `Params` (so its uniforms start with these 16 u32s; each
// kernel appends its own tiling fields after them).
//
// Layout terms: input (N, inChannels, height, width), weight (outChannels, channelsPerGroup,
// kernelH, kernelW), output (N, outChannels, outHeight, outWidth); padTop/padLeft are the zero
// padding before the first row/column ('same' may pad one more after the last).
// TypeScript twin: CONV_GEOMETRY_UNIFORMS in src/engine/webgpu/ops/convAlgorithms.ts.
// 16 fields = 64 bytes: a struct member of a uniform struct must be 16-byte aligned and sized,
// which this is, so the fields after it continue at byte 64 with no padding.

struct ConvGeometry {
  inChannels: u32, channelsPerGroup: u32, height: u32, width: u32,
  outChannels: u32, outPerGroup: u32, kernelH: u32, kernelW: u32,
  strideH: u32, strideW: u32, padTop: u32, padLeft: u32,
  dilationH: u32, dilationW: u32, outHeight: u32, outWidth: u32,
}

// One tap of a pixel: the flat offset it reads inside a plane, and whether it lies inside (a tap
// outside reads nothing: zero padding).
struct Tap { offset: u32, inside: bool }
