// common/conv_columns.wgsl — column k of a group's im2col matrix read straight from the input,
// for the kernels that hold a tile of columns in registers (conv_direct_forward.wgsl,
// conv_implicit_grad_weight.wgsl). Needs ConvGeometry (common/conv_geometry.wgsl) and the input
// binding `x` and `p`, declared by the kernel.
//
// Column k = (c·kh + i)·kw + j is input channel c (inside the group) shifted by tap (i, j):
// its offset inside a sample is c·H·W + (i·dh)·W + j·dw, and it is inside the image for the
// pixel whose window starts at (hb, wb) when hb + i·dh and wb + j·dw are.
// The uniforms of both kernels: the geometry, then batch, samplesPerSlice (samples per
// workgroup slice) and oTiles (output-channel tiles per group).
// TypeScript twin: COLUMN_TILE_UNIFORMS in src/engine/webgpu/ops/convAlgorithms.ts.

struct Params {
  geo: ConvGeometry,
  batch: u32, samplesPerSlice: u32, oTiles: u32,
}

struct Col { offset: u32, dh: u32, dw: u32 }

fn column(k: u32) -> Col {
  let taps = p.geo.kernelH * p.geo.kernelW;
  // Columns past the group's last (a tile's tail) are clamped onto it; their weights are 0.
  let kk = min(k, p.geo.channelsPerGroup * taps - 1u);
  let c = kk / taps;
  let r = kk % taps;
  let dh = (r / p.geo.kernelW) * p.geo.dilationH;
  let dw = (r % p.geo.kernelW) * p.geo.dilationW;
  return Col(c * p.geo.height * p.geo.width + dh * p.geo.width + dw, dh, dw);
}

// x at column col for the pixel whose window starts at (hb, wb) (at offset base), 0 outside.
fn load(base: i32, hb: i32, wb: i32, col: Col) -> f32 {
  let inside = u32(hb + i32(col.dh)) < p.geo.height && u32(wb + i32(col.dw)) < p.geo.width;
  return select(0.0, x[u32(select(0, base + i32(col.offset), inside))], inside);
}
