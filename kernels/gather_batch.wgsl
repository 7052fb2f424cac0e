// gather_batch.wgsl — assemble a normalised mini-batch from a dataset that lives on the GPU
//
// What: two entry points sharing one layout.
//   images: out[i, c, p] = (byte(images, indices[i]·C·L + c·L + p) / 255 − mean[c]) / std[c]
//   labels: out[i] = f32(byte(labels, indices[i]))
//   The dataset is uploaded once (bytes packed 4 per u32, little-endian: byte b is bits
//   8·(b mod 4) of word b/4), so a step uploads only the sample indices. Indices are not
//   checked here (WebGPU keeps out-of-range reads inside the buffer); the CPU twin checks them.
// Layouts: images (count_all, C, H, W) uint8 NCHW, or labels (count_all) uint8, packed in u32;
//   indices (count) u32; out (count, C, H, W) f32 for images, (count) f32 for labels.
// Bindings: 0 uniform Params, 1 source (read: images or labels), 2 indices (read),
//   3 out (read_write).
// Uniforms: total (= count·C·L, or count for labels), rowPitch, channels (≤ 4), pixels = H·W,
//   mean0..3, std0..3 (unused entries 0 / 1).
// Dispatch: one invocation per element of out, 256 per workgroup, index gid.x + gid.y · rowPitch.
// Prepended when loaded: common/packed_bytes.wgsl (byteAt).

struct Params {
  total: u32, rowPitch: u32, channels: u32, pixels: u32,
  mean0: f32, mean1: f32, mean2: f32, mean3: f32,
  std0: f32, std1: f32, std2: f32, std3: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> source: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn images(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  let sampleSize = p.channels * p.pixels;
  let i = idx / sampleSize;
  let r = idx % sampleSize;
  let c = r / p.pixels;
  var means = array<f32, 4>(p.mean0, p.mean1, p.mean2, p.mean3);
  var stds = array<f32, 4>(p.std0, p.std1, p.std2, p.std3);
  let v = f32(byteAt(indices[i] * sampleSize + r));
  out[idx] = (v / 255.0 - means[c]) / stds[c];
}

@compute @workgroup_size(256, 1, 1)
fn labels(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * p.rowPitch;
  if (idx >= p.total) { return; }
  out[idx] = f32(byteAt(indices[idx]));
}
