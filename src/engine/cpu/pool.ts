// MaxPool2d and AvgPool2d in float64: twins of kernels/{max,avg}_pool2d{,_backward}.wgsl.
// Layouts: x and dX (N, C, H, W), y, dY and argmax (N, C, Ho, Wo), all row-major.
//
// The windows follow ATen's CPU kernels exactly: a window starts at (oh·sh − ph, ow·sw − pw);
// max pool walks its taps in row-major order, keeps the first maximum (strict >) and lets NaN win
// (the last NaN in the window, as ATen's `val > max || isnan(val)` does). argmax holds the flat
// index h·W + w inside the input plane, stored here as a float64 number (the GPU stores a u32).
//
// With a fused ReLU (a ReLU layer right before the pool) the forward gives relu(max) and the
// backward masks by that output. relu is non-decreasing, so both equal ReLU-then-MaxPool bit for
// bit; reluOfMax below says why the −0 cases need the window's first tap.

import { type Pool2dGeometry, avgPoolDivisor, poolInputElements } from '../pool/geometry';

/** y of a non-empty window under a fused ReLU. A max > 0 or NaN is kept: the same tap wins in
 *  ReLU-then-MaxPool. Otherwise every relu'd tap is ±0 and that pool keeps the FIRST of them (no
 *  later ±0 is strictly greater), so y = relu(first tap): −0 only when the first tap is −0. */
function reluOfMax(best: number, first: number): number {
  if (best > 0 || Number.isNaN(best)) return best;
  return first < 0 ? 0 : first;
}

export function maxPool2dCpu(g: Pool2dGeometry, x: Float64Array, y: Float64Array, argmax: Float64Array, relu = false): void {
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  for (let plane = 0; plane < g.batch * g.channels; plane++) {
    const xBase = plane * inPlane;
    for (let oh = 0; oh < g.outHeight; oh++) {
      // Taps that fall in the top/left padding are skipped by stepping in whole dilations, so the
      // remaining taps stay on the dilated grid.
      let h0 = oh * g.strideH - g.padH;
      const h1 = Math.min(h0 + (g.kernelH - 1) * g.dilationH + 1, g.inHeight);
      while (h0 < 0) h0 += g.dilationH;
      for (let ow = 0; ow < g.outWidth; ow++) {
        let w0 = ow * g.strideW - g.padW;
        const w1 = Math.min(w0 + (g.kernelW - 1) * g.dilationW + 1, g.inWidth);
        while (w0 < 0) w0 += g.dilationW;
        // A dilated window can miss the input entirely; it then yields -inf and the sentinel
        // index H·W ("no input"), where ATen would store an index that may alias a real cell.
        let best = -Infinity;
        let bestIndex = inPlane;
        for (let h = h0; h < h1; h += g.dilationH) {
          for (let w = w0; w < w1; w += g.dilationW) {
            const v = x[xBase + h * g.inWidth + w]!;
            // The first tap always counts, so a window of -inf values points at its first cell.
            if (bestIndex === inPlane || v > best || Number.isNaN(v)) {
              best = v;
              bestIndex = h * g.inWidth + w;
            }
          }
        }
        const o = plane * outPlane + oh * g.outWidth + ow;
        // A window that misses the input stays −inf with ReLU too: ReLU-then-MaxPool sees no tap there.
        y[o] = relu && bestIndex !== inPlane ? reluOfMax(best, x[xBase + h0 * g.inWidth + w0]!) : best;
        argmax[o] = bestIndex;
      }
    }
  }
}

/** dX[argmax[o]] += dY[o] for every output o; dX is overwritten. With reluOutput (the y of a
 *  fused maxPool2dCpu), only outputs whose y > 0 or is NaN send their dY: the ReLU's
 *  threshold_backward, since the winning tap's relu output is > 0 or NaN exactly when y is. */
export function maxPool2dBackwardCpu(g: Pool2dGeometry, dY: Float64Array, argmax: Float64Array, dX: Float64Array, reluOutput: Float64Array | null = null): void {
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  dX.fill(0, 0, poolInputElements(g));
  for (let plane = 0; plane < g.batch * g.channels; plane++) {
    for (let l = 0; l < outPlane; l++) {
      const o = plane * outPlane + l;
      const target = argmax[o]!;
      // The sentinel of a window that missed the input: that output depends on no input.
      if (target >= inPlane) continue;
      if (reluOutput && reluOutput[o]! <= 0) continue;
      dX[plane * inPlane + target] += dY[o]!;
    }
  }
}

function requireNoDilation(g: Pool2dGeometry): void {
  if (g.dilationH !== 1 || g.dilationW !== 1) {
    throw new RangeError(`avg_pool2d has no dilation (PyTorch's AvgPool2d), got [${g.dilationH}, ${g.dilationW}]`);
  }
}

export function avgPool2dCpu(g: Pool2dGeometry, x: Float64Array, y: Float64Array): void {
  requireNoDilation(g);
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  for (let plane = 0; plane < g.batch * g.channels; plane++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      const h0 = oh * g.strideH - g.padH;
      for (let ow = 0; ow < g.outWidth; ow++) {
        const w0 = ow * g.strideW - g.padW;
        let sum = 0;
        for (let h = Math.max(h0, 0); h < Math.min(h0 + g.kernelH, g.inHeight); h++) {
          for (let w = Math.max(w0, 0); w < Math.min(w0 + g.kernelW, g.inWidth); w++) {
            sum += x[plane * inPlane + h * g.inWidth + w]!;
          }
        }
        y[plane * outPlane + oh * g.outWidth + ow] = sum / avgPoolDivisor(g, h0, w0);
      }
    }
  }
}

/** Each output spreads dY / divisor over the input cells of its window; dX is overwritten. */
export function avgPool2dBackwardCpu(g: Pool2dGeometry, dY: Float64Array, dX: Float64Array): void {
  requireNoDilation(g);
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  dX.fill(0, 0, poolInputElements(g));
  for (let plane = 0; plane < g.batch * g.channels; plane++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      const h0 = oh * g.strideH - g.padH;
      for (let ow = 0; ow < g.outWidth; ow++) {
        const w0 = ow * g.strideW - g.padW;
        const share = dY[plane * outPlane + oh * g.outWidth + ow]! / avgPoolDivisor(g, h0, w0);
        for (let h = Math.max(h0, 0); h < Math.min(h0 + g.kernelH, g.inHeight); h++) {
          for (let w = Math.max(w0, 0); w < Math.min(w0 + g.kernelW, g.inWidth); w++) {
            dX[plane * inPlane + h * g.inWidth + w] += share;
          }
        }
      }
    }
  }
}
