// gemm.wgsl — C[z] = alpha · Σ_r op(A[z,r]) · op(B[z,r]) + beta · C[z]
//
// What: the general matrix multiply behind all three convolution GEMMs (forward 'n','n',
//   grad-input 't','n', grad-weight 'n','t' summed over the mini-batch) and Linear.
// Layouts: row-major f32. op(A) is m×k: A[row·lda + p], or A[p·lda + row] when TRANS_A.
//   op(B) is k×n: B[p·ldb + col], or B[col·ldb + p] when TRANS_B. C is m×n with ldc.
// Batching: z = gid.z runs over outer·inner matrices; zo = z / batchInner, zi = z % batchInner,
//   and each matrix starts at off + zo·strideO + zi·strideI. The reduced batch r adds
//   reduceStride per step to A and B and sums into the same C (grad-weight over samples).
// Bindings: 0 uniform Params, 1 A (read), 2 B (read), 3 C (read_write).
// Overrides: TRANS_A, TRANS_B (fold the layout branches at pipeline creation).
// Dispatch: workgroup 8×8; each invocation computes a 4×4 block of C, so
//   x = ceil(n / 32), y = ceil(m / 32), z = outer·inner.
// beta == 0 never reads C (it may hold garbage).

override TRANS_A: bool = false;
override TRANS_B: bool = false;

struct Params {
  m: u32, n: u32, k: u32, lda: u32,
  ldb: u32, ldc: u32, offA: u32, offB: u32,
  offC: u32, batchInner: u32, strideAo: u32, strideAi: u32,
  strideBo: u32, strideBi: u32, strideCo: u32, strideCi: u32,
  reduceCount: u32, reduceStrideA: u32, reduceStrideB: u32, alpha: f32,
  beta: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

fn indexA(row: u32, col: u32) -> u32 {
  if (TRANS_A) { return col * p.lda + row; }
  return row * p.lda + col;
}

fn indexB(row: u32, col: u32) -> u32 {
  if (TRANS_B) { return col * p.ldb + row; }
  return row * p.ldb + col;
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row0 = gid.y * 4u;
  let col0 = gid.x * 4u;
  if (row0 >= p.m || col0 >= p.n) { return; }
  let zo = gid.z / p.batchInner;
  let zi = gid.z % p.batchInner;
  let baseA = p.offA + zo * p.strideAo + zi * p.strideAi;
  let baseB = p.offB + zo * p.strideBo + zi * p.strideBi;
  let baseC = p.offC + zo * p.strideCo + zi * p.strideCi;

  // Rows/columns past the edge are clamped to the last valid one: their results are simply
  // not stored, and clamping keeps every load in bounds without a branch in the inner loop.
  var rows: array<u32, 4>;
  var cols: array<u32, 4>;
  for (var i = 0u; i < 4u; i++) {
    rows[i] = min(row0 + i, p.m - 1u);
    cols[i] = min(col0 + i, p.n - 1u);
  }

  var acc: array<array<f32, 4>, 4>;
  for (var r = 0u; r < p.reduceCount; r++) {
    let offA = baseA + r * p.reduceStrideA;
    let offB = baseB + r * p.reduceStrideB;
    for (var kk = 0u; kk < p.k; kk++) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        av[i] = a[offA + indexA(rows[i], kk)];
        bv[i] = b[offB + indexB(kk, cols[i])];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          acc[i][j] = fma(av[i], bv[j], acc[i][j]);
        }
      }
    }
  }

  for (var i = 0u; i < 4u; i++) {
    if (row0 + i >= p.m) { break; }
    for (var j = 0u; j < 4u; j++) {
      if (col0 + j >= p.n) { break; }
      let ci = baseC + (row0 + i) * p.ldc + col0 + j;
      var v = p.alpha * acc[i][j];
      if (p.beta != 0.0) { v = v + p.beta * c[ci]; }
      c[ci] = v;
    }
  }
}
