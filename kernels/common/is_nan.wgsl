// common/is_nan.wgsl — NaN as a bit test, for every kernel that must treat NaN as PyTorch does.
//
// Why a bit test: WGSL lets a comparison with NaN return an indeterminate value (and lets
// compilers assume no NaN), so `v != v` is not reliable. A float32 is NaN exactly when its
// exponent bits are all ones and its mantissa is not zero.

fn isNan(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

fn isNan4(v: vec4f) -> vec4<bool> {
  return (bitcast<vec4u>(v) & vec4u(0x7fffffffu)) > vec4u(0x7f800000u);
}
