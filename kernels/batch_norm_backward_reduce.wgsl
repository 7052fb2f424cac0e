// batch_norm_backward_reduce.wgsl — the per-channel sums of the BatchNorm2d backward pass
//
// What: with x̂ = (x − saveMean[c])·saveInvStd[c], over the M = N·L values of channel c:
//   sums[c] = Σ dY, sums[C + c] = Σ dY·x̂, and dBeta[c] (+)= Σ dY, dGamma[c] (+)= Σ dY·x̂.
//   The sums go to a scratch buffer as well because dX needs this batch's sums, while dGamma and
//   dBeta may be accumulating over several batches. Fixed-order tree reduction: deterministic.
// Layouts: x, dY (N, C, L) row-major f32; saveMean, saveInvStd, dGamma, dBeta (C); sums (2·C).
// Bindings: 0 uniform Params, 1 x, 2 dY, 3 saveMean, 4 saveInvStd (read), 5 sums, 6 dGamma,
//   7 dBeta (read_write).
// Uniforms: batch, channels, pixels, accumulate (1 adds to dGamma/dBeta, 0 overwrites).
// Dispatch: x = C workgroups of 256.

struct Params { batch: u32, channels: u32, pixels: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dY: array<f32>;
@group(0) @binding(3) var<storage, read> saveMean: array<f32>;
@group(0) @binding(4) var<storage, read> saveInvStd: array<f32>;
@group(0) @binding(5) var<storage, read_write> sums: array<f32>;
@group(0) @binding(6) var<storage, read_write> dGamma: array<f32>;
@group(0) @binding(7) var<storage, read_write> dBeta: array<f32>;

var<workgroup> partialDy: array<f32, 256>;
var<workgroup> partialDyXhat: array<f32, 256>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = wid.x;
  let count = p.batch * p.pixels;
  let mean = saveMean[ch];
  let invStd = saveInvStd[ch];
  var sumDy = 0.0;
  var sumDyXhat = 0.0;
  for (var t = lid; t < count; t += 256u) {
    let idx = ((t / p.pixels) * p.channels + ch) * p.pixels + t % p.pixels;
    let g = dY[idx];
    sumDy += g;
    sumDyXhat += g * (x[idx] - mean) * invStd;
  }
  partialDy[lid] = sumDy;
  partialDyXhat[lid] = sumDyXhat;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      partialDy[lid] += partialDy[lid + stride];
      partialDyXhat[lid] += partialDyXhat[lid + stride];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let totalDy = partialDy[0];
    let totalDyXhat = partialDyXhat[0];
    sums[ch] = totalDy;
    sums[p.channels + ch] = totalDyXhat;
    if (p.accumulate != 0u) {
      dBeta[ch] = dBeta[ch] + totalDy;
      dGamma[ch] = dGamma[ch] + totalDyXhat;
    } else {
      dBeta[ch] = totalDy;
      dGamma[ch] = totalDyXhat;
    }
  }
}
