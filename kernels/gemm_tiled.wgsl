// gemm_tiled.wgsl — C[z] = alpha · Σ_r op(A[z,r]) · op(B[z,r]) + beta · C[z], register-blocked,
//   optionally split along the reduction into partial sums (see gemm_split_reduce.wgsl).
//
// What: the same contract as gemm.wgsl (src/engine/gemm.ts), laid out for speed:
//   - each invocation owns TM rows × TN columns of C in vec4 registers (acc*, accB*);
//   - its columns are strided by WG_X (col = tileCol + lx + j·WG_X) and its rows by WG_Y, so
//     neighbouring invocations read neighbouring B elements (coalesced on GPUs; SwiftShader
//     turns lanes with sequential addresses into one vector load) and share A elements;
//   - no bounds branch in the inner loop: rows/columns past the edge are clamped to the last
//     valid one and simply not stored; the reduction runs exactly over its range;
//   - every address is a running offset: one add per k step, no multiply.
// Layouts: row-major f32. op(A) is m×k: A[row·lda + p], or A[p·lda + row] when TRANS_A.
//   op(B) is k×n: B[p·ldb + col], or B[col·ldb + p] when TRANS_B.
// Batching: gid.z = s·batch + z with z over outer·inner matrices (zo = z / batchInner,
//   zi = z % batchInner) and s over `splits` slices of the reduction. With splits = 1 the
//   result goes to C with alpha/beta; otherwise slice s writes its raw sum to
//   partials[(s·batch + z)·m·n + row·n + col] and gemm_split_reduce.wgsl finishes in a fixed
//   order (deterministic, no atomics).
//   A slice covers reduced-batch steps [s·rPerSplit, …) when splitOnR = 1, else k range
//   [s·kPerSplit, …) of the single reduced step.
// Bindings: 0 uniform Params, 1 A (read), 2 B (read), 3 C or partials (read_write).
// Overrides: TRANS_A, TRANS_B; WG_X × WG_Y workgroup; TM rows per invocation (1, 2, 4 or 8;
//   the unused accumulators fold away at pipeline creation).
// Dispatch: x = ceil(n / (4·WG_X)), y = ceil(m / (TM·WG_Y)), z = splits · outer · inner.
// beta == 0 never reads C.

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override WG_X: u32 = 16u;
override WG_Y: u32 = 4u;
override TM: u32 = 4u;
override TN: u32 = 4u;

struct Params {
  m: u32, n: u32, k: u32, lda: u32,
  ldb: u32, ldc: u32, offA: u32, offB: u32,
  offC: u32, batchInner: u32, strideAo: u32, strideAi: u32,
  strideBo: u32, strideBi: u32, strideCo: u32, strideCi: u32,
  reduceCount: u32, reduceStrideA: u32, reduceStrideB: u32, alpha: f32,
  beta: f32, batch: u32, splits: u32, splitOnR: u32,
  rPerSplit: u32, kPerSplit: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

fn rowOffset(row: u32) -> u32 {
  if (TRANS_A) { return min(row, p.m - 1u); }
  return min(row, p.m - 1u) * p.lda;
}

fn colOffset(col: u32) -> u32 {
  if (TRANS_B) { return min(col, p.n - 1u) * p.ldb; }
  return min(col, p.n - 1u);
}

fn store(base: u32, row: u32, col0: u32, v: vec4f) {
  if (row >= p.m) { return; }
  for (var j = 0u; j < 4u; j++) {
    let col = col0 + j * WG_X;
    if (col < p.n) {
      if (p.splits > 1u) {
        c[base + row * p.n + col] = v[j];
      } else {
        let ci = base + row * p.ldc + col;
        var out = p.alpha * v[j];
        if (p.beta != 0.0) { out += p.beta * c[ci]; }
        c[ci] = out;
      }
    }
  }
}

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = wid.y * (TM * WG_Y) + lid.y;
  let col0 = wid.x * (TN * WG_X) + lid.x;
  let s = wid.z / p.batch;
  let z = wid.z % p.batch;
  let zo = z / p.batchInner;
  let zi = z % p.batchInner;
  let baseA = p.offA + zo * p.strideAo + zi * p.strideAi;
  let baseB = p.offB + zo * p.strideBo + zi * p.strideBi;

  // This slice of the reduction.
  var rLo = 0u;
  var rHi = p.reduceCount;
  var kLo = 0u;
  var kHi = p.k;
  if (p.splitOnR != 0u) {
    rLo = min(s * p.rPerSplit, p.reduceCount);
    rHi = min(rLo + p.rPerSplit, p.reduceCount);
  } else {
    kLo = min(s * p.kPerSplit, p.k);
    kHi = min(kLo + p.kPerSplit, p.k);
  }

  // One k step moves A by stepA and B by stepB; the rest of each address is fixed per thread.
  let stepA = select(1u, p.lda, TRANS_A);
  let stepB = select(p.ldb, 1u, TRANS_B);
  let ra0 = rowOffset(row0);
  let ra1 = rowOffset(row0 + WG_Y);
  let ra2 = rowOffset(row0 + 2u * WG_Y);
  let ra3 = rowOffset(row0 + 3u * WG_Y);
  let ra4 = rowOffset(row0 + 4u * WG_Y);
  let ra5 = rowOffset(row0 + 5u * WG_Y);
  let ra6 = rowOffset(row0 + 6u * WG_Y);
  let ra7 = rowOffset(row0 + 7u * WG_Y);
  let cb0 = colOffset(col0);
  let cb1 = colOffset(col0 + WG_X);
  let cb2 = colOffset(col0 + 2u * WG_X);
  let cb3 = colOffset(col0 + 3u * WG_X);
  let cb4 = colOffset(col0 + 4u * WG_X);
  let cb5 = colOffset(col0 + 5u * WG_X);
  let cb6 = colOffset(col0 + 6u * WG_X);
  let cb7 = colOffset(col0 + 7u * WG_X);

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  var acc4 = vec4f(0.0);
  var acc5 = vec4f(0.0);
  var acc6 = vec4f(0.0);
  var acc7 = vec4f(0.0);
  var accB0 = vec4f(0.0);
  var accB1 = vec4f(0.0);
  var accB2 = vec4f(0.0);
  var accB3 = vec4f(0.0);
  var accB4 = vec4f(0.0);
  var accB5 = vec4f(0.0);
  var accB6 = vec4f(0.0);
  var accB7 = vec4f(0.0);
  for (var r = rLo; r < rHi; r++) {
    var pa = baseA + r * p.reduceStrideA + kLo * stepA;
    var pb = baseB + r * p.reduceStrideB + kLo * stepB;
    for (var kk = kLo; kk < kHi; kk++) {
      let bv = vec4f(b[pb + cb0], b[pb + cb1], b[pb + cb2], b[pb + cb3]);
      var bw = vec4f(0.0);
      if (TN > 4u) { bw = vec4f(b[pb + cb4], b[pb + cb5], b[pb + cb6], b[pb + cb7]); }
      let a0 = a[pa + ra0];
      acc0 += a0 * bv;
      if (TN > 4u) { accB0 += a0 * bw; }
      if (TM > 1u) {
        let a1 = a[pa + ra1];
        acc1 += a1 * bv;
        if (TN > 4u) { accB1 += a1 * bw; }
      }
      if (TM > 2u) {
        let a2 = a[pa + ra2];
        let a3 = a[pa + ra3];
        acc2 += a2 * bv;
        acc3 += a3 * bv;
        if (TN > 4u) { accB2 += a2 * bw; accB3 += a3 * bw; }
      }
      if (TM > 4u) {
        let a4 = a[pa + ra4];
        let a5 = a[pa + ra5];
        let a6 = a[pa + ra6];
        let a7 = a[pa + ra7];
        acc4 += a4 * bv;
        acc5 += a5 * bv;
        acc6 += a6 * bv;
        acc7 += a7 * bv;
        if (TN > 4u) { accB4 += a4 * bw; accB5 += a5 * bw; accB6 += a6 * bw; accB7 += a7 * bw; }
      }
      pa += stepA;
      pb += stepB;
    }
  }

  var baseC = p.offC + zo * p.strideCo + zi * p.strideCi;
  if (p.splits > 1u) { baseC = wid.z * p.m * p.n; }
  store(baseC, row0, col0, acc0);
  if (TM > 1u) { store(baseC, row0 + WG_Y, col0, acc1); }
  if (TM > 2u) {
    store(baseC, row0 + 2u * WG_Y, col0, acc2);
    store(baseC, row0 + 3u * WG_Y, col0, acc3);
  }
  if (TM > 4u) {
    store(baseC, row0 + 4u * WG_Y, col0, acc4);
    store(baseC, row0 + 5u * WG_Y, col0, acc5);
    store(baseC, row0 + 6u * WG_Y, col0, acc6);
    store(baseC, row0 + 7u * WG_Y, col0, acc7);
  }
  if (TN > 4u) {
    let col4 = col0 + 4u * WG_X;
    store(baseC, row0, col4, accB0);
    if (TM > 1u) { store(baseC, row0 + WG_Y, col4, accB1); }
    if (TM > 2u) {
      store(baseC, row0 + 2u * WG_Y, col4, accB2);
      store(baseC, row0 + 3u * WG_Y, col4, accB3);
    }
    if (TM > 4u) {
      store(baseC, row0 + 4u * WG_Y, col4, accB4);
      store(baseC, row0 + 5u * WG_Y, col4, accB5);
      store(baseC, row0 + 6u * WG_Y, col4, accB6);
      store(baseC, row0 + 7u * WG_Y, col4, accB7);
    }
  }
}
