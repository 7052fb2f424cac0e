// common/activation_math.wgsl — the smooth activations and their derivatives in float32, shared
// by activation.wgsl and activation_backward.wgsl. CPU twins: src/engine/cpu/smoothActivation.ts.
//
// No exp of a large positive argument anywhere: sigmoid and tanh are written with t = exp(−|x|)
// or exp(−2|x|) in (0, 1], so ±inf and large |x| give exact 0, ±1 instead of inf/inf.
// WGSL has no erf. erfSmall and erfcLarge are polynomial fits made for this file (least squares
// on Chebyshev nodes, float64, rounded to f32), checked in float32 against float64 erf:
//   |z| < 1:  erf(z) = z·P(z²)                        relative error < 2e-7
//   z ≥ 1:    erfc(z) = exp(−z²) · t·Q(t), t = 1/(1 + z/2)   relative error < 1e-6 for z ≤ 4
// (Q(0) = 1/(2√π) is erfc's asymptote). GELU uses erfc directly where 1 + erf(z) would cancel
// (x < −√2), so its far left tail keeps its relative accuracy.

fn sigmoidOf(x: f32) -> f32 {
  let t = exp(-abs(x));
  return select(t / (1.0 + t), 1.0 / (1.0 + t), x >= 0.0);
}

fn tanhOf(x: f32) -> f32 {
  let t = exp(-2.0 * abs(x));
  // (1 − t)/(1 + t) ≥ 0 with x's sign bit: odd, and −0 stays −0.
  let m = (1.0 - t) / (1.0 + t);
  return bitcast<f32>(bitcast<u32>(m) | (bitcast<u32>(x) & 0x80000000u));
}

fn erfSmall(z: f32) -> f32 {
  let u = z * z;
  let p = 1.128379226 + u * (-0.3761262894 + u * (0.1128362566 + u * (-0.02685539983
    + u * (0.005191218574 + u * (-0.0008034846978 + u * 0.00007933493907)))));
  return z * p;
}

// erfc(z) for z ≥ 1; past z = 10 it is below f32's smallest normal number, so z is capped there.
fn erfcLarge(zIn: f32) -> f32 {
  let z = min(zIn, 10.0);
  let t = 1.0 / (1.0 + 0.5 * z);
  let q = 0.2820947766 + t * (0.2820990384 + t * (0.2466807812 + t * (0.1784751713 + t * (0.06846123189
    + t * (0.05374262482 + t * (-0.1739798486 + t * (0.04616581649 + t * 0.01713832282)))))));
  return exp(-z * z) * t * q;
}

fn erfOf(z: f32) -> f32 {
  let a = abs(z);
  if (a < 1.0) { return erfSmall(z); }
  let r = 1.0 - erfcLarge(a);
  return select(r, -r, z < 0.0);
}

// Φ(x) = erfc(−x/√2)/2, the standard normal CDF.
fn normalCdf(x: f32) -> f32 {
  let z = -x * 0.7071067812;
  if (abs(z) < 1.0) { return 0.5 * (1.0 - erfSmall(z)); }
  let tail = 0.5 * erfcLarge(abs(z));
  return select(1.0 - tail, tail, z > 0.0);
}

fn geluOf(x: f32) -> f32 {
  return x * normalCdf(x);
}

// d gelu/dx = Φ(x) + x·φ(x), φ(x) = exp(−x²/2)/√(2π); x² capped where φ is 0 in f32 anyway.
fn geluGrad(x: f32) -> f32 {
  let phi = 0.3989422804 * exp(-0.5 * min(x * x, 200.0));
  return normalCdf(x) + x * phi;
}

fn siluGrad(x: f32) -> f32 {
  let s = sigmoidOf(x);
  return s * (1.0 + x * (1.0 - s));
}
