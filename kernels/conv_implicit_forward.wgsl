// conv_implicit_forward.wgsl — out = W · im2col(x) + bias without ever writing the column matrix.
//
// What: out[n, o, oh, ow] = bias[o] + Σ_{c<Cg, i<kh, j<kw} W[o, c, i, j] ·
//   x[n, g·Cg + c, oh·sh − padTop + i·dh, ow·sw − padLeft + j·dw] (0 outside the image), with g
//   the group of o. The forward GEMM of im2col.wgsl + gemm_tiled.wgsl, its B operand read straight
//   from the input.
//   Each invocation owns TP output pixels of the whole batch (strided by WG, so neighbouring invocations hold
//   neighbouring pixels and their input loads are neighbouring addresses: SwiftShader turns such
//   lanes into one vector load, GPUs coalesce them) × 4·OC4 output channels of one group (the
//   weight loads are the same address in every lane: a broadcast). The tap loops (i, j) are
//   outermost so the bounds test and address of each pixel are computed once per tap, not once
//   per channel; the channel loop inside is a load, a few multiply-adds and an add.
// Layouts: x (N, C, H, W), W (O, Cg, kh, kw), bias (O), out (N, O, Ho, Wo), row-major f32.
// Bindings: 0 uniform Params, 1 x (read), 2 W (read), 3 bias (read; any buffer when !HAS_BIAS),
//   4 out (write).
// Overrides: WG invocations per workgroup; TP ∈ {1, 2, 4} pixels and OC4 ∈ {1, 2, 3, 4} vec4s of
//   output channels per invocation (unused accumulators fold away at pipeline creation); HAS_BIAS.
// Uniforms: the geometry, oTiles, batch, xGroups (the x size of the grid).
// Prepended when loaded: common/conv_geometry.wgsl (ConvGeometry, Tap).
// Dispatch: ceil(N·Ho·Wo / (WG·TP)) pixel blocks as x + z·xGroups (x ≤ 65535),
//   y = groups · oTiles (oTiles = ceil(Og / (4·OC4))).

override WG: u32 = 64u;
override TP: u32 = 4u;
override OC4: u32 = 2u;
override HAS_BIAS: bool = true;

struct Params {
  geo: ConvGeometry,
  oTiles: u32, batch: u32, xGroups: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> wt: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

// Row offsets of four output channels in W, clamped to the group's last one (never stored).
fn weightRows(o0: u32, oEnd: u32, kg: u32) -> vec4u {
  return vec4u(min(o0, oEnd - 1u), min(o0 + 1u, oEnd - 1u), min(o0 + 2u, oEnd - 1u), min(o0 + 3u, oEnd - 1u)) * kg;
}

fn weights(r: vec4u, k: u32) -> vec4f {
  return vec4f(wt[r.x + k], wt[r.y + k], wt[r.z + k], wt[r.w + k]);
}

fn biasOf(o0: u32, oEnd: u32) -> vec4f {
  if (!HAS_BIAS) { return vec4f(0.0); }
  return vec4f(bias[min(o0, oEnd - 1u)], bias[min(o0 + 1u, oEnd - 1u)], bias[min(o0 + 2u, oEnd - 1u)], bias[min(o0 + 3u, oEnd - 1u)]);
}

// Input offset of one tap for one pixel, and whether it lies inside the image (padding is 0).
fn tap(hb: i32, wb: i32, i: u32, j: u32) -> Tap {
  let h = hb + i32(i * p.geo.dilationH);
  let w = wb + i32(j * p.geo.dilationW);
  // A negative i32 becomes a huge u32, so one unsigned compare per axis tests both ends.
  let inside = u32(h) < p.geo.height && u32(w) < p.geo.width;
  return Tap(select(0u, u32(h) * p.geo.width + u32(w), inside), inside);
}

fn store(n: u32, o0: u32, oEnd: u32, l: u32, valid: bool, v: vec4f) {
  let pixels = p.geo.outHeight * p.geo.outWidth;
  if (!valid) { return; }
  for (var q = 0u; q < 4u; q++) {
    let o = o0 + q;
    if (o < oEnd) { out[(n * p.geo.outChannels + o) * pixels + l] = v[q]; }
  }
}

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let grp = wid.y / p.oTiles;
  let oBase = grp * p.geo.outPerGroup;
  let oEnd = oBase + p.geo.outPerGroup;
  let o0 = oBase + (wid.y % p.oTiles) * 4u * OC4;
  let pixels = p.geo.outHeight * p.geo.outWidth;
  let plane = p.geo.height * p.geo.width;
  let taps = p.geo.kernelH * p.geo.kernelW;
  let kg = p.geo.channelsPerGroup * taps;
  let xGroup = grp * p.geo.channelsPerGroup * plane;

  // Pixel t of this invocation: q = first + t·WG over all samples' pixels (n·Ho·Wo + l), so a
  // small plane does not leave lanes idle; clamped (and not stored) past the end.
  let total = p.batch * pixels;
  let first = (wid.x + wid.z * p.xGroups) * WG * TP + lid.x;
  let q0 = min(first, total - 1u);
  let q1 = min(first + WG, total - 1u);
  let q2 = min(first + 2u * WG, total - 1u);
  let q3 = min(first + 3u * WG, total - 1u);
  let n0 = q0 / pixels; let l0 = q0 % pixels;
  let n1 = q1 / pixels; let l1 = q1 % pixels;
  let n2 = q2 / pixels; let l2 = q2 % pixels;
  let n3 = q3 / pixels; let l3 = q3 % pixels;
  let xb0 = n0 * p.geo.inChannels * plane + xGroup;
  let xb1 = n1 * p.geo.inChannels * plane + xGroup;
  let xb2 = n2 * p.geo.inChannels * plane + xGroup;
  let xb3 = n3 * p.geo.inChannels * plane + xGroup;
  let hb0 = i32((l0 / p.geo.outWidth) * p.geo.strideH) - i32(p.geo.padTop);
  let wb0 = i32((l0 % p.geo.outWidth) * p.geo.strideW) - i32(p.geo.padLeft);
  let hb1 = i32((l1 / p.geo.outWidth) * p.geo.strideH) - i32(p.geo.padTop);
  let wb1 = i32((l1 % p.geo.outWidth) * p.geo.strideW) - i32(p.geo.padLeft);
  let hb2 = i32((l2 / p.geo.outWidth) * p.geo.strideH) - i32(p.geo.padTop);
  let wb2 = i32((l2 % p.geo.outWidth) * p.geo.strideW) - i32(p.geo.padLeft);
  let hb3 = i32((l3 / p.geo.outWidth) * p.geo.strideH) - i32(p.geo.padTop);
  let wb3 = i32((l3 % p.geo.outWidth) * p.geo.strideW) - i32(p.geo.padLeft);

  let r0 = weightRows(o0, oEnd, kg);
  let r1 = weightRows(o0 + 4u, oEnd, kg);
  let r2 = weightRows(o0 + 8u, oEnd, kg);
  let r3 = weightRows(o0 + 12u, oEnd, kg);

  // acc<t><q>: pixel t, output channels o0 + 4q … o0 + 4q + 3; they start from the bias.
  let b0 = biasOf(o0, oEnd);
  let b1 = biasOf(o0 + 4u, oEnd);
  let b2 = biasOf(o0 + 8u, oEnd);
  let b3 = biasOf(o0 + 12u, oEnd);
  var acc00 = b0; var acc01 = b1; var acc02 = b2; var acc03 = b3;
  var acc10 = b0; var acc11 = b1; var acc12 = b2; var acc13 = b3;
  var acc20 = b0; var acc21 = b1; var acc22 = b2; var acc23 = b3;
  var acc30 = b0; var acc31 = b1; var acc32 = b2; var acc33 = b3;

  for (var i = 0u; i < p.geo.kernelH; i++) {
    for (var j = 0u; j < p.geo.kernelW; j++) {
      let t0 = tap(hb0, wb0, i, j);
      let t1 = tap(hb1, wb1, i, j);
      let t2 = tap(hb2, wb2, i, j);
      let t3 = tap(hb3, wb3, i, j);
      var px0 = xb0 + t0.offset;
      var px1 = xb1 + t1.offset;
      var px2 = xb2 + t2.offset;
      var px3 = xb3 + t3.offset;
      var k = i * p.geo.kernelW + j;
      for (var c = 0u; c < p.geo.channelsPerGroup; c++) {
        let x0 = select(0.0, x[px0], t0.inside);
        let w0 = weights(r0, k);
        acc00 += x0 * w0;
        var w1 = vec4f(0.0);
        var w2 = vec4f(0.0);
        var w3 = vec4f(0.0);
        if (OC4 > 1u) { w1 = weights(r1, k); acc01 += x0 * w1; }
        if (OC4 > 2u) { w2 = weights(r2, k); acc02 += x0 * w2; }
        if (OC4 > 3u) { w3 = weights(r3, k); acc03 += x0 * w3; }
        if (TP > 1u) {
          let x1 = select(0.0, x[px1], t1.inside);
          acc10 += x1 * w0;
          if (OC4 > 1u) { acc11 += x1 * w1; }
          if (OC4 > 2u) { acc12 += x1 * w2; }
          if (OC4 > 3u) { acc13 += x1 * w3; }
        }
        if (TP > 2u) {
          let x2 = select(0.0, x[px2], t2.inside);
          let x3 = select(0.0, x[px3], t3.inside);
          acc20 += x2 * w0;
          acc30 += x3 * w0;
          if (OC4 > 1u) { acc21 += x2 * w1; acc31 += x3 * w1; }
          if (OC4 > 2u) { acc22 += x2 * w2; acc32 += x3 * w2; }
          if (OC4 > 3u) { acc23 += x2 * w3; acc33 += x3 * w3; }
        }
        px0 += plane;
        px1 += plane;
        px2 += plane;
        px3 += plane;
        k += taps;
      }
    }
  }

  let v0 = first < total;
  let v1 = first + WG < total;
  let v2 = first + 2u * WG < total;
  let v3 = first + 3u * WG < total;
  store(n0, o0, oEnd, l0, v0, acc00);
  if (OC4 > 1u) { store(n0, o0 + 4u, oEnd, l0, v0, acc01); }
  if (OC4 > 2u) { store(n0, o0 + 8u, oEnd, l0, v0, acc02); }
  if (OC4 > 3u) { store(n0, o0 + 12u, oEnd, l0, v0, acc03); }
  if (TP > 1u) {
    store(n1, o0, oEnd, l1, v1, acc10);
    if (OC4 > 1u) { store(n1, o0 + 4u, oEnd, l1, v1, acc11); }
    if (OC4 > 2u) { store(n1, o0 + 8u, oEnd, l1, v1, acc12); }
    if (OC4 > 3u) { store(n1, o0 + 12u, oEnd, l1, v1, acc13); }
  }
  if (TP > 2u) {
    store(n2, o0, oEnd, l2, v2, acc20);
    store(n3, o0, oEnd, l3, v3, acc30);
    if (OC4 > 1u) { store(n2, o0 + 4u, oEnd, l2, v2, acc21); store(n3, o0 + 4u, oEnd, l3, v3, acc31); }
    if (OC4 > 2u) { store(n2, o0 + 8u, oEnd, l2, v2, acc22); store(n3, o0 + 8u, oEnd, l3, v3, acc32); }
    if (OC4 > 3u) { store(n2, o0 + 12u, oEnd, l2, v2, acc23); store(n3, o0 + 12u, oEnd, l3, v3, acc33); }
  }
}
