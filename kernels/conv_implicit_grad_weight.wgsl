// conv_implicit_grad_weight.wgsl — partial sums of dW = Σ_n dOut · im2col(x)ᵀ, no column matrix.
//
// What: dW[o, k] = Σ_{n, oh, ow} dOut[n, o, oh, ow] · x[n, g·Cg + c, oh·sh − padTop + i·dh,
//   ow·sw − padLeft + j·dw] with k = (c·kh + i)·kw + j and g the group of o (0 outside the image).
//   The output is tiny (O × Cg·kh·kw) and the reduction long (N·Ho·Wo), so the reduction is what
//   is spread out: workgroup x takes samples [x·samplesPerSlice, …), and inside it each lane
//   takes output pixels lid, lid + WG, … — neighbouring lanes read neighbouring dOut and x
//   addresses (one vector load on SwiftShader, coalesced on GPUs). Every lane keeps a
//   4·OC4 (output channels) × TK (columns k) tile in registers and writes it, raw, as one slice
//   of partials; gemm_split_reduce.wgsl then adds the slices in a fixed order (deterministic, no
//   atomics, no workgroup barriers — those are costly on software adapters).
// Layouts: x (N, C, H, W), dOut (N, O, Ho, Wo), row-major f32;
//   partials[slice · O·Kg + o·Kg + k] with slice = wid.x · WG + lid (the split-reduce layout with
//   m = O, n = Kg, batch 1).
// Bindings: 0 uniform Params, 1 x (read), 2 dOut (read), 3 partials (write).
// Overrides: WG; OC4 ∈ {1, 2, 3, 4} vec4s of output channels and TK ∈ 1…9 columns per lane.
// Prepended when loaded: common/conv_geometry.wgsl (ConvGeometry), common/conv_columns.wgsl (Params, Col, column, load).
// Dispatch: x = ceil(N / samplesPerSlice), y = groups · oTiles (ceil(Og / (4·OC4))),
//   z = ceil(Kg / TK).

override WG: u32 = 64u;
override OC4: u32 = 2u;
override TK: u32 = 9u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dOut: array<f32>;
@group(0) @binding(3) var<storage, read_write> partials: array<f32>;

fn dOutRows(o0: u32, oEnd: u32, pixels: u32) -> vec4u {
  return vec4u(min(o0, oEnd - 1u), min(o0 + 1u, oEnd - 1u), min(o0 + 2u, oEnd - 1u), min(o0 + 3u, oEnd - 1u)) * pixels;
}

fn store(slice: u32, o0: u32, oEnd: u32, k: u32, v: vec4f) {
  let kg = p.geo.channelsPerGroup * p.geo.kernelH * p.geo.kernelW;
  if (k >= kg) { return; }
  for (var q = 0u; q < 4u; q++) {
    let o = o0 + q;
    if (o < oEnd) { partials[(slice * p.geo.outChannels + o) * kg + k] = v[q]; }
  }
}

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let grp = wid.y / p.oTiles;
  let oBase = grp * p.geo.outPerGroup;
  let oEnd = oBase + p.geo.outPerGroup;
  let o0 = oBase + (wid.y % p.oTiles) * 4u * OC4;
  let k0 = wid.z * TK;
  let pixels = p.geo.outHeight * p.geo.outWidth;
  let plane = p.geo.height * p.geo.width;
  let nLo = min(wid.x * p.samplesPerSlice, p.batch);
  let nHi = min(nLo + p.samplesPerSlice, p.batch);

  let c0 = column(k0); let c1 = column(k0 + 1u); let c2 = column(k0 + 2u);
  let c3 = column(k0 + 3u); let c4 = column(k0 + 4u); let c5 = column(k0 + 5u);
  let c6 = column(k0 + 6u); let c7 = column(k0 + 7u); let c8 = column(k0 + 8u);
  let ra = dOutRows(o0, oEnd, pixels);
  let rb = dOutRows(o0 + 4u, oEnd, pixels);
  let rc = dOutRows(o0 + 8u, oEnd, pixels);
  let rd = dOutRows(o0 + 12u, oEnd, pixels);

  // acc<t><a|b>: column k0 + t, output channels o0 … o0 + 3 (a) and o0 + 4 … o0 + 7 (b).
  var acc0a = vec4f(0.0); var acc1a = vec4f(0.0); var acc2a = vec4f(0.0);
  var acc3a = vec4f(0.0); var acc4a = vec4f(0.0); var acc5a = vec4f(0.0);
  var acc6a = vec4f(0.0); var acc7a = vec4f(0.0); var acc8a = vec4f(0.0);
  var acc0b = vec4f(0.0); var acc1b = vec4f(0.0); var acc2b = vec4f(0.0);
  var acc3b = vec4f(0.0); var acc4b = vec4f(0.0); var acc5b = vec4f(0.0);
  var acc6b = vec4f(0.0); var acc7b = vec4f(0.0); var acc8b = vec4f(0.0);
  var acc0c = vec4f(0.0); var acc1c = vec4f(0.0); var acc2c = vec4f(0.0);
  var acc3c = vec4f(0.0); var acc4c = vec4f(0.0); var acc5c = vec4f(0.0);
  var acc6c = vec4f(0.0); var acc7c = vec4f(0.0); var acc8c = vec4f(0.0);
  var acc0d = vec4f(0.0); var acc1d = vec4f(0.0); var acc2d = vec4f(0.0);
  var acc3d = vec4f(0.0); var acc4d = vec4f(0.0); var acc5d = vec4f(0.0);
  var acc6d = vec4f(0.0); var acc7d = vec4f(0.0); var acc8d = vec4f(0.0);

  for (var n = nLo; n < nHi; n++) {
    let dBase = n * p.geo.outChannels * pixels;
    let xBase = i32((n * p.geo.inChannels + grp * p.geo.channelsPerGroup) * plane);
    for (var l = lid.x; l < pixels; l += WG) {
      let hb = i32((l / p.geo.outWidth) * p.geo.strideH) - i32(p.geo.padTop);
      let wb = i32((l % p.geo.outWidth) * p.geo.strideW) - i32(p.geo.padLeft);
      let base = xBase + hb * i32(p.geo.width) + wb;
      let d = dBase + l;
      let da = vec4f(dOut[d + ra.x], dOut[d + ra.y], dOut[d + ra.z], dOut[d + ra.w]);
      var db = vec4f(0.0);
      var dc = vec4f(0.0);
      var dd = vec4f(0.0);
      if (OC4 > 1u) { db = vec4f(dOut[d + rb.x], dOut[d + rb.y], dOut[d + rb.z], dOut[d + rb.w]); }
      if (OC4 > 2u) { dc = vec4f(dOut[d + rc.x], dOut[d + rc.y], dOut[d + rc.z], dOut[d + rc.w]); }
      if (OC4 > 3u) { dd = vec4f(dOut[d + rd.x], dOut[d + rd.y], dOut[d + rd.z], dOut[d + rd.w]); }
      { let v = load(base, hb, wb, c0); acc0a += v * da; if (OC4 > 1u) { acc0b += v * db; } if (OC4 > 2u) { acc0c += v * dc; } if (OC4 > 3u) { acc0d += v * dd; } }
      if (TK > 1u) { let v = load(base, hb, wb, c1); acc1a += v * da; if (OC4 > 1u) { acc1b += v * db; } if (OC4 > 2u) { acc1c += v * dc; } if (OC4 > 3u) { acc1d += v * dd; } }
      if (TK > 2u) { let v = load(base, hb, wb, c2); acc2a += v * da; if (OC4 > 1u) { acc2b += v * db; } if (OC4 > 2u) { acc2c += v * dc; } if (OC4 > 3u) { acc2d += v * dd; } }
      if (TK > 3u) { let v = load(base, hb, wb, c3); acc3a += v * da; if (OC4 > 1u) { acc3b += v * db; } if (OC4 > 2u) { acc3c += v * dc; } if (OC4 > 3u) { acc3d += v * dd; } }
      if (TK > 4u) { let v = load(base, hb, wb, c4); acc4a += v * da; if (OC4 > 1u) { acc4b += v * db; } if (OC4 > 2u) { acc4c += v * dc; } if (OC4 > 3u) { acc4d += v * dd; } }
      if (TK > 5u) { let v = load(base, hb, wb, c5); acc5a += v * da; if (OC4 > 1u) { acc5b += v * db; } if (OC4 > 2u) { acc5c += v * dc; } if (OC4 > 3u) { acc5d += v * dd; } }
      if (TK > 6u) { let v = load(base, hb, wb, c6); acc6a += v * da; if (OC4 > 1u) { acc6b += v * db; } if (OC4 > 2u) { acc6c += v * dc; } if (OC4 > 3u) { acc6d += v * dd; } }
      if (TK > 7u) { let v = load(base, hb, wb, c7); acc7a += v * da; if (OC4 > 1u) { acc7b += v * db; } if (OC4 > 2u) { acc7c += v * dc; } if (OC4 > 3u) { acc7d += v * dd; } }
      if (TK > 8u) { let v = load(base, hb, wb, c8); acc8a += v * da; if (OC4 > 1u) { acc8b += v * db; } if (OC4 > 2u) { acc8c += v * dc; } if (OC4 > 3u) { acc8d += v * dd; } }
    }
  }

  let slice = wid.x * WG + lid.x;
  { store(slice, o0, oEnd, k0, acc0a); if (OC4 > 1u) { store(slice, o0 + 4u, oEnd, k0, acc0b); } if (OC4 > 2u) { store(slice, o0 + 8u, oEnd, k0, acc0c); } if (OC4 > 3u) { store(slice, o0 + 12u, oEnd, k0, acc0d); } }
  if (TK > 1u) { store(slice, o0, oEnd, k0 + 1u, acc1a); if (OC4 > 1u) { store(slice, o0 + 4u, oEnd, k0 + 1u, acc1b); } if (OC4 > 2u) { store(slice, o0 + 8u, oEnd, k0 + 1u, acc1c); } if (OC4 > 3u) { store(slice, o0 + 12u, oEnd, k0 + 1u, acc1d); } }
  if (TK > 2u) { store(slice, o0, oEnd, k0 + 2u, acc2a); if (OC4 > 1u) { store(slice, o0 + 4u, oEnd, k0 + 2u, acc2b); } if (OC4 > 2u) { store(slice, o0 + 8u, oEnd, k0 + 2u, acc2c); } if (OC4 > 3u) { store(slice, o0 + 12u, oEnd, k0 + 2u, acc2d); } }
  if (TK > 3u) { store(slice, o0, oEnd, k0 + 3u, acc3a); if (OC4 > 1u) { store(slice, o0 + 4u, oEnd, k0 + 3u, acc3b); } if (OC4 > 2u) { store(slice, o0 + 8u, oEnd, k0 + 3u, acc3c); } if (OC4 > 3u) { store(slice, o0 + 12u, oEnd, k0 + 3u, acc3d); } }
  if (TK > 4u) { store(slice, o0, oEnd, k0 + 4u, acc4a); if (OC4 > 1u) { store(slice, o0 + 4u, oEnd, k0 + 4u, acc4b); } if (OC4 > 2u) { store(slice, o0 + 8u, oEnd, k0 + 4u, acc4c); } if (OC4 > 3u) { store(slice, o0 + 12u, oEnd, k0 + 4u, acc4d); } }
  if (TK > 5u) { store(slice, o0, oEnd, k0 + 5u, acc5a); if (OC4 > 1u) { store(slice, o0 + 4u, oEnd, k0 + 5u, acc5b); } if (OC4 > 2u) { store(slice, o0 + 8u, oEnd, k0 + 5u, acc5c); } if (OC4 > 3u) { store(slice, o0 + 12u, oEnd, k0 + 5u, acc5d); } }
  if (TK > 6u) { store(slice, o0, oEnd, k0 + 6u, acc6a); if (OC4 > 1u) { store(slice, o0 + 4u, oEnd, k0 + 6u, acc6b); } if (OC4 > 2u) { store(slice, o0 + 8u, oEnd, k0 + 6u, acc6c); } if (OC4 > 3u) { store(slice, o0 + 12u, oEnd, k0 + 6u, acc6d); } }
  if (TK > 7u) { store(slice, o0, oEnd, k0 + 7u, acc7a); if (OC4 > 1u) { store(slice, o0 + 4u, oEnd, k0 + 7u, acc7b); } if (OC4 > 2u) { store(slice, o0 + 8u, oEnd, k0 + 7u, acc7c); } if (OC4 > 3u) { store(slice, o0 + 12u, oEnd, k0 + 7u, acc7d); } }
  if (TK > 8u) { store(slice, o0, oEnd, k0 + 8u, acc8a); if (OC4 > 1u) { store(slice, o0 + 4u, oEnd, k0 + 8u, acc8b); } if (OC4 > 2u) { store(slice, o0 + 8u, oEnd, k0 + 8u, acc8c); } if (OC4 > 3u) { store(slice, o0 + 12u, oEnd, k0 + 8u, acc8d); } }
}
