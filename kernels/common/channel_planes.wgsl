// channel_planes.wgsl — which units of an (N, C, L) tensor a lane of the per-channel elementwise
// kernels (batch_norm_apply.wgsl, batch_norm_backward_input.wgsl) takes. Every workgroup works
// within channel wid.y, so per-channel numbers are read once per lane, and it has 4 rows of 64
// lanes (k < 4). Planes of 64 units or more (imagesPerRow = 1) take R = ceil(units / 64) rows:
// with R ≥ 4, workgroup (x, c, n) takes rows 4x + k of plane (n, c); with R < 4 it takes
// floor(4 / R) whole planes, images z·floor(4 / R) + k / R. Smaller planes sit side by side,
// imagesPerRow of them in a row of 64 lanes: workgroup (0, c, z) takes images
// (4z + k)·imagesPerRow + lane / units.
// Uses from the kernel's Params: channels, units (per plane), batch, imagesPerRow.

// The k-th unit (k < 4) lane `lid` of workgroup `wid` takes, as an index into the tensor's
// units; 0xffffffff when it has none (past the plane, or past the batch).
fn unitAt(wid: vec3u, lid: u32, k: u32) -> u32 {
  if (p.imagesPerRow == 1u) {
    let rows = (p.units + 63u) / 64u;
    var n = wid.z;
    var row = wid.x * 4u + k;
    if (rows < 4u) {
      let planes = 4u / rows;
      n = wid.z * planes + k / rows;
      row = k % rows;
      if (k >= planes * rows) { return 0xffffffffu; }
    }
    let u = row * 64u + lid;
    if (u >= p.units || n >= p.batch) { return 0xffffffffu; }
    return (n * p.channels + wid.y) * p.units + u;
  }
  let n0 = lid / p.units;
  let n = (wid.z * 4u + k) * p.imagesPerRow + n0;
  if (n0 >= p.imagesPerRow || n >= p.batch) { return 0xffffffffu; }
  return (n * p.channels + wid.y) * p.units + lid % p.units;
}
