// augment_batch.wgsl — gather a normalised mini-batch with each image augmented on the way
//
// What: as gather_batch.wgsl's images entry, but output image i reads its sample through row i of
//   the parameter table (P = 9 numbers: dy, dx, flip, top, left, bh, bw, brightness, contrast;
//   drawn on the host by src/engine/train/augmentDraw.ts), on pixel values v/255 in [0, 1]:
//     crop    C(y, x) = I(y + dy, x + dx), 0 (black) outside the image
//     flip    F(y, x) = C(y, W − 1 − x) when flip = 1
//     resize  R(y, x) = bilinear sample of F in the box (top, left, bh, bw) at sy = max(0,
//             (y + ½)·bh/H − ½) (PyTorch's align_corners=False; a whole-image box gives R = F)
//     jitter  J = clamp(brightness·R, 0, 1); m = mean of grey(J) over the image (0.2989 R +
//             0.587 G + 0.114 B, or channel 0 when C ≠ 3); clamp(contrast·J + (1 − contrast)·m, 0, 1)
//     then    (· − mean[c]) / std[c]
//   The contrast mean needs the whole image, so one workgroup owns one image: pass 1 writes
//   the brightened values and sums grey per invocation, a fixed-order tree reduction gives m,
//   pass 2 (the same invocation re-reads only what it wrote) applies contrast and normalises.
//   CPU twin: src/engine/cpu/augmentBatch.ts.
// Layouts: images (count_all, C, H, W) uint8 packed 4 per u32 (byte b: bits 8·(b mod 4) of word
//   b/4); indices (count) u32; params (count, 9) f32; out (count, C, H, W) f32.
// Bindings: 0 uniform Params, 1 source (read), 2 indices (read), 3 params (read),
//   4 out (read_write).
// Uniforms: count, groupPitch (workgroups along x), channels (≤ 4), height, width, mean0..3,
//   std0..3. (The reduction runs even without jitter: 8 barriers per image, cheaper than a variant.)
// Dispatch: one workgroup of 256 per image, image = wid.x + wid.y · groupPitch.
// Prepended when loaded: common/packed_bytes.wgsl (byteAt).

struct Params {
  count: u32, groupPitch: u32, channels: u32, height: u32, width: u32,
  mean0: f32, mean1: f32, mean2: f32, mean3: f32,
  std0: f32, std1: f32, std2: f32, std3: f32,
}

const P = 9u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> source: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
@group(0) @binding(3) var<storage, read> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

var<workgroup> partial: array<f32, 256>;

// Rows (or columns) a, b of the box and b's weight, for output coordinate o of size n.
struct Taps { a: i32, b: i32, w: f32 }

fn taps(o: u32, n: u32, start: f32, size: f32) -> Taps {
  let src = max(0.0, (size / f32(n)) * (f32(o) + 0.5) - 0.5);
  let i0 = floor(src);
  let i1 = select(i0, i0 + 1.0, i0 < size - 1.0);
  return Taps(i32(start + i0), i32(start + i1), src - i0);
}

// The cropped, flipped image of channel c at (r, q): a [0, 1] value, black outside the source.
fn cropped(base: u32, c: u32, r: i32, q: i32, dy: i32, dx: i32, flip: bool) -> f32 {
  let w = i32(p.width);
  let y = r + dy;
  let x = select(q, w - 1 - q, flip) + dx;
  if (y < 0 || y >= i32(p.height) || x < 0 || x >= w) { return 0.0; }
  return f32(byteAt(base + c * p.height * p.width + u32(y) * p.width + u32(x))) / 255.0;
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let image = wid.x + wid.y * p.groupPitch;
  if (image >= p.count) { return; }
  let pixels = p.height * p.width;
  let sampleSize = p.channels * pixels;
  let base = indices[image] * sampleSize;
  let row = image * P;
  let dy = i32(params[row]);
  let dx = i32(params[row + 1u]);
  let flip = params[row + 2u] != 0.0;
  let brightness = params[row + 7u];
  let contrast = params[row + 8u];
  var greyWeights = array<f32, 4>(1.0, 0.0, 0.0, 0.0);
  if (p.channels == 3u) { greyWeights = array<f32, 4>(0.2989, 0.587, 0.114, 0.0); }

  var grey = 0.0;
  for (var px = lid; px < pixels; px += 256u) {
    let ty = taps(px / p.width, p.height, params[row + 3u], params[row + 5u]);
    let tx = taps(px % p.width, p.width, params[row + 4u], params[row + 6u]);
    for (var c = 0u; c < p.channels; c++) {
      let v = (1.0 - ty.w) * ((1.0 - tx.w) * cropped(base, c, ty.a, tx.a, dy, dx, flip) + tx.w * cropped(base, c, ty.a, tx.b, dy, dx, flip)) +
        ty.w * ((1.0 - tx.w) * cropped(base, c, ty.b, tx.a, dy, dx, flip) + tx.w * cropped(base, c, ty.b, tx.b, dy, dx, flip));
      let bright = clamp(brightness * v, 0.0, 1.0);
      out[image * sampleSize + c * pixels + px] = bright;
      grey += greyWeights[c] * bright;
    }
  }

  partial[lid] = grey;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { partial[lid] += partial[lid + stride]; }
    workgroupBarrier();
  }
  let m = partial[0] / f32(pixels);

  var means = array<f32, 4>(p.mean0, p.mean1, p.mean2, p.mean3);
  var stds = array<f32, 4>(p.std0, p.std1, p.std2, p.std3);
  for (var px = lid; px < pixels; px += 256u) {
    for (var c = 0u; c < p.channels; c++) {
      let k = image * sampleSize + c * pixels + px;
      var v = out[k];
      if (contrast != 1.0) { v = clamp(contrast * v + (1.0 - contrast) * m, 0.0, 1.0); }
      out[k] = (v - means[c]) / stds[c];
    }
  }
}
