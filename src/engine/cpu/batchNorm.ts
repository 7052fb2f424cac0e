// BatchNorm2d in float64: the CPU twins of kernels/batch_norm_stats.wgsl, batch_norm_apply.wgsl,
// batch_norm_backward_reduce.wgsl and batch_norm_backward_input.wgsl.
//
// x, y, dY, dX are (N, C, L) with L = H·W; every per-channel buffer has C entries. Statistics
// run over the M = N·L values of a channel. Training normalises with the biased variance (÷M)
// but feeds the unbiased one (÷(M−1)) into the running estimate, exactly as PyTorch does.

import type { BatchNormGeometry } from '../backend';

function channelValues(g: BatchNormGeometry, t: Float64Array, c: number, visit: (value: number, index: number) => void): void {
  for (let n = 0; n < g.batch; n++) {
    const base = (n * g.channels + c) * g.pixels;
    for (let l = 0; l < g.pixels; l++) visit(t[base + l]!, base + l);
  }
}

export function batchNorm2dTrainCpu(
  g: BatchNormGeometry, eps: number, momentum: number,
  x: Float64Array, gamma: Float64Array, beta: Float64Array,
  y: Float64Array, saveMean: Float64Array, saveInvStd: Float64Array, runningMean: Float64Array, runningVar: Float64Array,
): void {
  const m = g.batch * g.pixels;
  if (m < 2) {
    throw new Error(`BatchNorm2d in training needs more than 1 value per channel (got batch ${g.batch} × ${g.pixels} pixels); use a larger batch or eval mode`);
  }
  for (let c = 0; c < g.channels; c++) {
    // Two passes (mean, then squared deviations) rather than E[x²] − E[x]², which cancels badly.
    let sum = 0;
    channelValues(g, x, c, (v) => { sum += v; });
    const mean = sum / m;
    let squares = 0;
    channelValues(g, x, c, (v) => { squares += (v - mean) * (v - mean); });
    const variance = squares / m;
    const invStd = 1 / Math.sqrt(variance + eps);
    saveMean[c] = mean;
    saveInvStd[c] = invStd;
    runningMean[c] = (1 - momentum) * runningMean[c]! + momentum * mean;
    runningVar[c] = (1 - momentum) * runningVar[c]! + momentum * (squares / (m - 1));
    const scale = invStd * gamma[c]!;
    channelValues(g, x, c, (v, i) => { y[i] = (v - mean) * scale + beta[c]!; });
  }
}

export function batchNorm2dEvalCpu(
  g: BatchNormGeometry, eps: number,
  x: Float64Array, gamma: Float64Array, beta: Float64Array, runningMean: Float64Array, runningVar: Float64Array, y: Float64Array,
): void {
  for (let c = 0; c < g.channels; c++) {
    const mean = runningMean[c]!;
    const scale = gamma[c]! / Math.sqrt(runningVar[c]! + eps);
    channelValues(g, x, c, (v, i) => { y[i] = (v - mean) * scale + beta[c]!; });
  }
}

/** With x̂ = (x − mean)·invStd: dBeta = Σ dY, dGamma = Σ dY·x̂ and
 *  dX = gamma·invStd · (dY − dBeta/M − x̂·dGamma/M), using this batch's sums (not accumulated ones). */
export function batchNorm2dBackwardCpu(
  g: BatchNormGeometry, x: Float64Array, dY: Float64Array, gamma: Float64Array, saveMean: Float64Array, saveInvStd: Float64Array,
  dX: Float64Array, dGamma: Float64Array, dBeta: Float64Array, accumulate: boolean,
): void {
  const m = g.batch * g.pixels;
  for (let c = 0; c < g.channels; c++) {
    const mean = saveMean[c]!;
    const invStd = saveInvStd[c]!;
    let sumDy = 0;
    let sumDyXhat = 0;
    channelValues(g, x, c, (v, i) => {
      sumDy += dY[i]!;
      sumDyXhat += dY[i]! * (v - mean) * invStd;
    });
    dBeta[c] = accumulate ? dBeta[c]! + sumDy : sumDy;
    dGamma[c] = accumulate ? dGamma[c]! + sumDyXhat : sumDyXhat;
    const k = gamma[c]! * invStd;
    channelValues(g, x, c, (v, i) => {
      dX[i] = k * (dY[i]! - sumDy / m - (v - mean) * invStd * (sumDyXhat / m));
    });
  }
}
