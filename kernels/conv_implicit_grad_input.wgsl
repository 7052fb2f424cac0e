// conv_implicit_grad_input.wgsl — dX = col2im(Wᵀ · dOut) as one gather, no column matrix.
//
// What: dX[n, g·Cg + c, h, w] = Σ_{o<Og, i<kh, j<kw} W[g·Og + o, c, i, j] · dOut[n, g·Og + o, oh, ow]
//   over the taps where oh·sh = h + padTop − i·dh and ow·sw = w + padLeft − j·dw hold exactly
//   with 0 ≤ oh < Ho, 0 ≤ ow < Wo (the transposed convolution). Each input pixel gathers what
//   col2im.wgsl would have summed for it, so the sum order is fixed and there are no atomics.
//   Each invocation owns TP input pixels of the whole batch (strided by WG: neighbouring lanes read neighbouring
//   dOut addresses when the stride is 1) × 4·CC4 input channels of one group (weight loads are
//   one address for all lanes). Taps outermost: the divisibility and bounds tests of a pixel are
//   done once per tap; the loop over output channels inside is loads and multiply-adds.
// Layouts: dOut (N, O, Ho, Wo), W (O, Cg, kh, kw), dX (N, C, H, W), row-major f32; dX overwritten.
// Bindings: 0 uniform Params, 1 dOut (read), 2 W (read), 3 dX (write).
// Overrides: WG; TP ∈ {1, 2, 4} pixels, CC4 ∈ {1, 2, 3, 4} vec4s of input channels per invocation.
// Uniforms: the geometry, cTiles, batch, xGroups (the x size of the grid).
// Prepended when loaded: common/conv_geometry.wgsl (ConvGeometry, Tap).
// Dispatch: ceil(N·H·W / (WG·TP)) pixel blocks as x + z·xGroups (x ≤ 65535),
//   y = groups · cTiles (cTiles = ceil(Cg / (4·CC4))).

override WG: u32 = 64u;
override TP: u32 = 4u;
override CC4: u32 = 1u;

struct Params {
  geo: ConvGeometry,
  cTiles: u32, batch: u32, xGroups: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dOut: array<f32>;
@group(0) @binding(2) var<storage, read> wt: array<f32>;
@group(0) @binding(3) var<storage, read_write> dX: array<f32>;

// Column offsets (c·kh·kw) of four input channels inside a weight row, clamped to the last one.
fn weightCols(c0: u32, taps: u32) -> vec4u {
  let last = p.geo.channelsPerGroup - 1u;
  return vec4u(min(c0, last), min(c0 + 1u, last), min(c0 + 2u, last), min(c0 + 3u, last)) * taps;
}

fn weights(row: u32, cols: vec4u) -> vec4f {
  return vec4f(wt[row + cols.x], wt[row + cols.y], wt[row + cols.z], wt[row + cols.w]);
}

// The output pixel that tap (i, j) of input pixel (h, w) came from, if any.
fn tap(h: u32, w: u32, i: u32, j: u32) -> Tap {
  let th = i32(h + p.geo.padTop) - i32(i * p.geo.dilationH);
  let tw = i32(w + p.geo.padLeft) - i32(j * p.geo.dilationW);
  let oh = u32(th) / p.geo.strideH;
  let ow = u32(tw) / p.geo.strideW;
  let inside = th >= 0 && tw >= 0 && oh * p.geo.strideH == u32(th) && ow * p.geo.strideW == u32(tw) && oh < p.geo.outHeight && ow < p.geo.outWidth;
  return Tap(select(0u, oh * p.geo.outWidth + ow, inside), inside);
}

// c0 counts channels inside the group; shift is the group's first channel.
fn storeGroup(n: u32, shift: u32, c0: u32, l: u32, valid: bool, v: vec4f) {
  let plane = p.geo.height * p.geo.width;
  if (!valid) { return; }
  for (var q = 0u; q < 4u; q++) {
    let c = c0 + q;
    if (c < p.geo.channelsPerGroup) { dX[(n * p.geo.inChannels + shift + c) * plane + l] = v[q]; }
  }
}

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let grp = wid.y / p.cTiles;
  let c0 = (wid.y % p.cTiles) * 4u * CC4;
  let plane = p.geo.height * p.geo.width;
  let pixels = p.geo.outHeight * p.geo.outWidth;
  let taps = p.geo.kernelH * p.geo.kernelW;
  let kg = p.geo.channelsPerGroup * taps;
  let dGroup = grp * p.geo.outPerGroup * pixels;
  let wBase = grp * p.geo.outPerGroup * kg;

  // Pixel t of this invocation: q = first + t·WG over all samples' input pixels (n·H·W + l), so
  // a small plane does not leave lanes idle; clamped (and not stored) past the end.
  let total = p.batch * plane;
  let first = (wid.x + wid.z * p.xGroups) * WG * TP + lid.x;
  let q0 = min(first, total - 1u);
  let q1 = min(first + WG, total - 1u);
  let q2 = min(first + 2u * WG, total - 1u);
  let q3 = min(first + 3u * WG, total - 1u);
  let n0 = q0 / plane; let l0 = q0 % plane;
  let n1 = q1 / plane; let l1 = q1 % plane;
  let n2 = q2 / plane; let l2 = q2 % plane;
  let n3 = q3 / plane; let l3 = q3 % plane;
  let db0 = n0 * p.geo.outChannels * pixels + dGroup;
  let db1 = n1 * p.geo.outChannels * pixels + dGroup;
  let db2 = n2 * p.geo.outChannels * pixels + dGroup;
  let db3 = n3 * p.geo.outChannels * pixels + dGroup;
  let h0 = l0 / p.geo.width; let w0 = l0 % p.geo.width;
  let h1 = l1 / p.geo.width; let w1 = l1 % p.geo.width;
  let h2 = l2 / p.geo.width; let w2 = l2 % p.geo.width;
  let h3 = l3 / p.geo.width; let w3 = l3 % p.geo.width;

  let k0 = weightCols(c0, taps);
  let k1 = weightCols(c0 + 4u, taps);
  let k2 = weightCols(c0 + 8u, taps);
  let k3 = weightCols(c0 + 12u, taps);

  var acc00 = vec4f(0.0); var acc01 = vec4f(0.0); var acc02 = vec4f(0.0); var acc03 = vec4f(0.0);
  var acc10 = vec4f(0.0); var acc11 = vec4f(0.0); var acc12 = vec4f(0.0); var acc13 = vec4f(0.0);
  var acc20 = vec4f(0.0); var acc21 = vec4f(0.0); var acc22 = vec4f(0.0); var acc23 = vec4f(0.0);
  var acc30 = vec4f(0.0); var acc31 = vec4f(0.0); var acc32 = vec4f(0.0); var acc33 = vec4f(0.0);

  for (var i = 0u; i < p.geo.kernelH; i++) {
    for (var j = 0u; j < p.geo.kernelW; j++) {
      let t0 = tap(h0, w0, i, j);
      let t1 = tap(h1, w1, i, j);
      let t2 = tap(h2, w2, i, j);
      let t3 = tap(h3, w3, i, j);
      var pd0 = db0 + t0.offset;
      var pd1 = db1 + t1.offset;
      var pd2 = db2 + t2.offset;
      var pd3 = db3 + t3.offset;
      var row = wBase + i * p.geo.kernelW + j;
      for (var o = 0u; o < p.geo.outPerGroup; o++) {
        let d0 = select(0.0, dOut[pd0], t0.inside);
        let v0 = weights(row, k0);
        acc00 += d0 * v0;
        var v1 = vec4f(0.0);
        var v2 = vec4f(0.0);
        var v3 = vec4f(0.0);
        if (CC4 > 1u) { v1 = weights(row, k1); acc01 += d0 * v1; }
        if (CC4 > 2u) { v2 = weights(row, k2); acc02 += d0 * v2; }
        if (CC4 > 3u) { v3 = weights(row, k3); acc03 += d0 * v3; }
        if (TP > 1u) {
          let d1 = select(0.0, dOut[pd1], t1.inside);
          acc10 += d1 * v0;
          if (CC4 > 1u) { acc11 += d1 * v1; }
          if (CC4 > 2u) { acc12 += d1 * v2; }
          if (CC4 > 3u) { acc13 += d1 * v3; }
        }
        if (TP > 2u) {
          let d2 = select(0.0, dOut[pd2], t2.inside);
          let d3 = select(0.0, dOut[pd3], t3.inside);
          acc20 += d2 * v0;
          acc30 += d3 * v0;
          if (CC4 > 1u) { acc21 += d2 * v1; acc31 += d3 * v1; }
          if (CC4 > 2u) { acc22 += d2 * v2; acc32 += d3 * v2; }
          if (CC4 > 3u) { acc23 += d2 * v3; acc33 += d3 * v3; }
        }
        pd0 += pixels;
        pd1 += pixels;
        pd2 += pixels;
        pd3 += pixels;
        row += kg;
      }
    }
  }

  let shift = grp * p.geo.channelsPerGroup;
  let v0 = first < total;
  let v1 = first + WG < total;
  let v2 = first + 2u * WG < total;
  let v3 = first + 3u * WG < total;
  storeGroup(n0, shift, c0, l0, v0, acc00);
  if (CC4 > 1u) { storeGroup(n0, shift, c0 + 4u, l0, v0, acc01); }
  if (CC4 > 2u) { storeGroup(n0, shift, c0 + 8u, l0, v0, acc02); }
  if (CC4 > 3u) { storeGroup(n0, shift, c0 + 12u, l0, v0, acc03); }
  if (TP > 1u) {
    storeGroup(n1, shift, c0, l1, v1, acc10);
    if (CC4 > 1u) { storeGroup(n1, shift, c0 + 4u, l1, v1, acc11); }
    if (CC4 > 2u) { storeGroup(n1, shift, c0 + 8u, l1, v1, acc12); }
    if (CC4 > 3u) { storeGroup(n1, shift, c0 + 12u, l1, v1, acc13); }
  }
  if (TP > 2u) {
    storeGroup(n2, shift, c0, l2, v2, acc20);
    storeGroup(n3, shift, c0, l3, v3, acc30);
    if (CC4 > 1u) { storeGroup(n2, shift, c0 + 4u, l2, v2, acc21); storeGroup(n3, shift, c0 + 4u, l3, v3, acc31); }
    if (CC4 > 2u) { storeGroup(n2, shift, c0 + 8u, l2, v2, acc22); storeGroup(n3, shift, c0 + 8u, l3, v3, acc32); }
    if (CC4 > 3u) { storeGroup(n2, shift, c0 + 12u, l2, v2, acc23); storeGroup(n3, shift, c0 + 12u, l3, v3, acc33); }
  }
}
