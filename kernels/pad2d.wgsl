// pad2d.wgsl — y = F.pad(x, (left, right, top, bottom), mode) for reflect, replicate, circular:
// the input of a Conv2d with that padding_mode, which then convolves y with zero padding 0.
//
// What: y[plane, qh, qw] = x[plane, padSource(qh, H, top), padSource(qw, W, left)].
// Layouts: x (planes, H, W), y (planes, H + top + bottom, W + left + right), row-major f32.
// Bindings: 0 uniform Params, 1 x (read), 2 y (write).
// Uniforms: total = planes · outHeight · outWidth.
// Override constants: MODE (see common/pad_params.wgsl).
// Prepended when loaded: common/pad_params.wgsl (Params, MODE, padSource).
// Dispatch: one invocation per output element, 256 per workgroup, linear index gid.x + gid.y · rowPitch.

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let qw = idx % p.outWidth;
  let qh = (idx / p.outWidth) % p.outHeight;
  let plane = idx / (p.outWidth * p.outHeight);
  let h = padSource(qh, p.height, p.top);
  let w = padSource(qw, p.width, p.left);
  y[idx] = x[(plane * p.height + h) * p.width + w];
}
