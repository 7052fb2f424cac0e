// common/packed_bytes.wgsl — one byte of a dataset uploaded as bytes packed 4 per u32
// (little-endian: byte b is bits 8·(b mod 4) of word b/4), for the batch gathers
// (gather_batch.wgsl, augment_batch.wgsl). Uses the kernel's `source` binding.

fn byteAt(b: u32) -> u32 {
  return (source[b >> 2u] >> ((b & 3u) * 8u)) & 0xffu;
}
