// Convolution straight from its definition (seven nested loops, no im2col, no GEMM).
// An independent reference: the im2col/GEMM path is checked against it, and it against
// finite differences, so a shared mistake in the two cannot hide.

import type { Conv2dGeometry } from '../conv/geometry';

export function directConvForward(g: Conv2dGeometry, input: Float64Array, weight: Float64Array, bias: Float64Array | null): Float64Array {
  const cg = g.inChannels / g.groups;
  const og = g.outChannels / g.groups;
  const out = new Float64Array(g.batch * g.outChannels * g.outHeight * g.outWidth);
  for (let n = 0; n < g.batch; n++) {
    for (let o = 0; o < g.outChannels; o++) {
      const group = Math.floor(o / og);
      for (let oh = 0; oh < g.outHeight; oh++) {
        for (let ow = 0; ow < g.outWidth; ow++) {
          let sum = bias ? bias[o]! : 0;
          for (let c = 0; c < cg; c++) {
            const ic = group * cg + c;
            for (let i = 0; i < g.kernelH; i++) {
              const h = oh * g.strideH - g.padTop + i * g.dilationH;
              if (h < 0 || h >= g.inHeight) continue;
              for (let j = 0; j < g.kernelW; j++) {
                const w = ow * g.strideW - g.padLeft + j * g.dilationW;
                if (w < 0 || w >= g.inWidth) continue;
                sum += input[((n * g.inChannels + ic) * g.inHeight + h) * g.inWidth + w]! *
                  weight[((o * cg + c) * g.kernelH + i) * g.kernelW + j]!;
              }
            }
          }
          out[((n * g.outChannels + o) * g.outHeight + oh) * g.outWidth + ow] = sum;
        }
      }
    }
  }
  return out;
}
