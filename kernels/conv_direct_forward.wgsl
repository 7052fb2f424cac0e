// conv_direct_forward.wgsl — out = W · im2col(x) + bias, filters held in registers.
//
// What: out[n, o, oh, ow] = bias[o] + Σ_k W[o, k] · x[n, g·Cg + c, oh·sh − padTop + i·dh,
//   ow·sw − padLeft + j·dw] with k = (c·kh + i)·kw + j and g the group of o (0 outside the image).
//   The weight-stationary twin of conv_implicit_forward.wgsl: each lane loads a 4·OC4 (output
//   channels) × TK (columns k) tile of W once, then walks output pixels lid, lid + WG, … of the
//   samples of its slice, so the inner loop has only input loads (neighbouring lanes,
//   neighbouring addresses) and multiply-adds — no per-step weight loads, which on a software
//   adapter are per-lane gathers. With more than TK columns (Cg·kh·kw > TK) the k tiles run one
//   after another and each later tile adds into out (a fixed order: deterministic). A layer with
//   few input channels (the first layer: Cg·kh·kw = 9) is a single tile.
// Layouts: x (N, C, H, W), W (O, Cg, kh, kw), bias (O), out (N, O, Ho, Wo), row-major f32.
// Bindings: 0 uniform Params, 1 x (read), 2 W (read), 3 bias (read; any buffer when !HAS_BIAS),
//   4 out (write, and read back for the second and later k tiles).
// Overrides: WG; OC4 ∈ {1, 2} vec4s of output channels; TK ∈ 1…9 columns per tile; HAS_BIAS.
// Prepended when loaded: common/conv_geometry.wgsl (ConvGeometry), common/conv_columns.wgsl (Params, Col, column, load).
// Dispatch: x = ceil(N / samplesPerSlice), y = groups · oTiles (ceil(Og / (4·OC4))), z = 1.

override WG: u32 = 64u;
override OC4: u32 = 2u;
override TK: u32 = 9u;
override HAS_BIAS: bool = true;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> wt: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

// W[o0 … o0+3, k]; zero for channels past the group and columns past Kg, so clamped loads
// never add anything.
fn weights(o0: u32, oEnd: u32, k: u32, kg: u32) -> vec4f {
  var v = vec4f(0.0);
  if (k >= kg) { return v; }
  for (var q = 0u; q < 4u; q++) {
    let o = min(o0 + q, oEnd - 1u);
    v[q] = select(0.0, wt[o * kg + k], o0 + q < oEnd);
  }
  return v;
}

fn biasOf(o0: u32, oEnd: u32) -> vec4f {
  var v = vec4f(0.0);
  if (!HAS_BIAS) { return v; }
  for (var q = 0u; q < 4u; q++) { v[q] = bias[min(o0 + q, oEnd - 1u)]; }
  return v;
}

fn outIndex(n: u32, o: u32, l: u32) -> u32 {
  return (n * p.geo.outChannels + o) * p.geo.outHeight * p.geo.outWidth + l;
}

fn previous(n: u32, o0: u32, oEnd: u32, l: u32) -> vec4f {
  var v = vec4f(0.0);
  for (var q = 0u; q < 4u; q++) { v[q] = out[outIndex(n, min(o0 + q, oEnd - 1u), l)]; }
  return v;
}

fn store(n: u32, o0: u32, oEnd: u32, l: u32, v: vec4f) {
  for (var q = 0u; q < 4u; q++) {
    if (o0 + q < oEnd) { out[outIndex(n, o0 + q, l)] = v[q]; }
  }
}

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let grp = wid.y / p.oTiles;
  let oBase = grp * p.geo.outPerGroup;
  let oEnd = oBase + p.geo.outPerGroup;
  let oa = oBase + (wid.y % p.oTiles) * 4u * OC4;
  let ob = oa + 4u;
  let pixels = p.geo.outHeight * p.geo.outWidth;
  let plane = p.geo.height * p.geo.width;
  let kg = p.geo.channelsPerGroup * p.geo.kernelH * p.geo.kernelW;
  let nLo = min(wid.x * p.samplesPerSlice, p.batch);
  let nHi = min(nLo + p.samplesPerSlice, p.batch);
  let ba = biasOf(oa, oEnd);
  let bb = biasOf(ob, oEnd);

  for (var k0 = 0u; k0 < kg; k0 += TK) {
    let c0 = column(k0); let c1 = column(k0 + 1u); let c2 = column(k0 + 2u);
    let c3 = column(k0 + 3u); let c4 = column(k0 + 4u); let c5 = column(k0 + 5u);
    let c6 = column(k0 + 6u); let c7 = column(k0 + 7u); let c8 = column(k0 + 8u);
    // w<t><a|b>: column k0 + t, output channels oa … oa + 3 (a) and ob … ob + 3 (b).
    let w0a = weights(oa, oEnd, k0, kg); let w1a = weights(oa, oEnd, k0 + 1u, kg); let w2a = weights(oa, oEnd, k0 + 2u, kg);
    let w3a = weights(oa, oEnd, k0 + 3u, kg); let w4a = weights(oa, oEnd, k0 + 4u, kg); let w5a = weights(oa, oEnd, k0 + 5u, kg);
    let w6a = weights(oa, oEnd, k0 + 6u, kg); let w7a = weights(oa, oEnd, k0 + 7u, kg); let w8a = weights(oa, oEnd, k0 + 8u, kg);
    var w0b = vec4f(0.0); var w1b = vec4f(0.0); var w2b = vec4f(0.0);
    var w3b = vec4f(0.0); var w4b = vec4f(0.0); var w5b = vec4f(0.0);
    var w6b = vec4f(0.0); var w7b = vec4f(0.0); var w8b = vec4f(0.0);
    if (OC4 > 1u) {
      w0b = weights(ob, oEnd, k0, kg); w1b = weights(ob, oEnd, k0 + 1u, kg); w2b = weights(ob, oEnd, k0 + 2u, kg);
      w3b = weights(ob, oEnd, k0 + 3u, kg); w4b = weights(ob, oEnd, k0 + 4u, kg); w5b = weights(ob, oEnd, k0 + 5u, kg);
      w6b = weights(ob, oEnd, k0 + 6u, kg); w7b = weights(ob, oEnd, k0 + 7u, kg); w8b = weights(ob, oEnd, k0 + 8u, kg);
    }
    for (var n = nLo; n < nHi; n++) {
      let xBase = i32((n * p.geo.inChannels + grp * p.geo.channelsPerGroup) * plane);
      for (var l = lid.x; l < pixels; l += WG) {
        let hb = i32((l / p.geo.outWidth) * p.geo.strideH) - i32(p.geo.padTop);
        let wb = i32((l % p.geo.outWidth) * p.geo.strideW) - i32(p.geo.padLeft);
        let base = xBase + hb * i32(p.geo.width) + wb;
        var sa = ba;
        var sb = bb;
        if (k0 > 0u) {
          sa = previous(n, oa, oEnd, l);
          if (OC4 > 1u) { sb = previous(n, ob, oEnd, l); }
        }
        let x0 = load(base, hb, wb, c0);
        sa += x0 * w0a;
        if (OC4 > 1u) { sb += x0 * w0b; }
        if (TK > 1u) { let v = load(base, hb, wb, c1); sa += v * w1a; if (OC4 > 1u) { sb += v * w1b; } }
        if (TK > 2u) { let v = load(base, hb, wb, c2); sa += v * w2a; if (OC4 > 1u) { sb += v * w2b; } }
        if (TK > 3u) { let v = load(base, hb, wb, c3); sa += v * w3a; if (OC4 > 1u) { sb += v * w3b; } }
        if (TK > 4u) { let v = load(base, hb, wb, c4); sa += v * w4a; if (OC4 > 1u) { sb += v * w4b; } }
        if (TK > 5u) { let v = load(base, hb, wb, c5); sa += v * w5a; if (OC4 > 1u) { sb += v * w5b; } }
        if (TK > 6u) { let v = load(base, hb, wb, c6); sa += v * w6a; if (OC4 > 1u) { sb += v * w6b; } }
        if (TK > 7u) { let v = load(base, hb, wb, c7); sa += v * w7a; if (OC4 > 1u) { sb += v * w7b; } }
        if (TK > 8u) { let v = load(base, hb, wb, c8); sa += v * w8a; if (OC4 > 1u) { sb += v * w8b; } }
        store(n, oa, oEnd, l, sa);
        if (OC4 > 1u) { store(n, ob, oEnd, l, sb); }
      }
    }
  }
}
