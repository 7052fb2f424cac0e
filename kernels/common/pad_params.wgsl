// common/pad_params.wgsl — the uniforms of pad2d.wgsl and pad2d_backward.wgsl, and padSource:
// which input cell a padded cell copies (the twin of padSource in src/engine/conv/paddingMode.ts).
//
// total = invocations, rowPitch = grid row pitch, the input plane height × width, the padding on
// each side, and the padded plane outHeight × outWidth. MODE (an override constant of both
// kernels): 0 reflect, 1 replicate, 2 circular. PyTorch's limits hold (checked by the op):
// reflect pads less than the size, circular at most the size, so one reflection or wrap suffices.
// TypeScript twin: PAD_UNIFORMS in src/engine/webgpu/ops/pad.ts.

struct Params {
  total: u32, rowPitch: u32, height: u32, width: u32,
  top: u32, bottom: u32, left: u32, right: u32,
  outHeight: u32, outWidth: u32,
}

override MODE: u32 = 0u;

fn padSource(q: u32, size: u32, before: u32) -> u32 {
  let i = i32(q) - i32(before);
  let n = i32(size);
  if (MODE == 0u) { return u32(select(select(i, 2 * (n - 1) - i, i >= n), -i, i < 0)); }
  if (MODE == 1u) { return u32(clamp(i, 0, n - 1)); }
  return u32(select(select(i, i - n, i >= n), i + n, i < 0));
}
