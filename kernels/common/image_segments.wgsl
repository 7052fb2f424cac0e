// image_segments.wgsl — how the barrier-free per-channel reductions (bias_grad.wgsl,
// batch_norm_stats.wgsl, batch_norm_backward_reduce.wgsl) share an (N, C, L) tensor among lanes.
//
// Workgroup (c, y) of 64 lanes covers 64 / segs images from y · (64 / segs) on; each lane owns one
// image and one of its segs = 2^segBits contiguous segments of segLen units of channel c (a unit
// is an f32, or a vec4 when L is a multiple of 4) and walks it in increasing order. Whole images
// per lane give every lane the same trip count, and a contiguous range needs no per-element
// division or modulo, both of which a software adapter pays per lane; segments keep lanes busy
// when the batch is under 64. Each lane's result goes to partials[c · partialsPerChannel +
// y · 64 + lane], which a second pass reads in that fixed order.
// Uses from the kernel's Params: batch, channels, units (per plane), segBits, segLen,
// partialsPerChannel.

// The lane's segment as [first, end) units into the tensor; empty for a lane past the batch.
struct Span { first: u32, end: u32 }

fn laneSpan(wid: vec3u, lid: u32) -> Span {
  let image = (wid.y << (6u - p.segBits)) + (lid >> p.segBits);
  if (image >= p.batch) { return Span(0u, 0u); }
  let plane = (image * p.channels + wid.x) * p.units;
  let start = (lid & ((1u << p.segBits) - 1u)) * p.segLen;
  return Span(plane + min(start, p.units), plane + min(start + p.segLen, p.units));
}

fn partialIndex(wid: vec3u, lid: u32) -> u32 {
  return wid.x * p.partialsPerChannel + wid.y * 64u + lid;
}
