// im2col and col2im in float64: the CPU twins of kernels/im2col.wgsl and kernels/col2im.wgsl.
//
// columns (N, C·kh·kw, Ho·Wo): row r = (c·kh + i)·kw + j holds, for every output pixel
// (oh, ow), the input value at (oh·sh − padTop + i·dh, ow·sw − padLeft + j·dw), or 0 outside.
// col2im is its adjoint: each column entry is added back to the input pixel it was read from.

import { type Conv2dGeometry, columnRows, outputPixels } from '../conv/geometry';

export function im2colCpu(g: Conv2dGeometry, input: Float64Array, columns: Float64Array): void {
  const L = outputPixels(g);
  const rows = columnRows(g);
  for (let n = 0; n < g.batch; n++) {
    for (let r = 0; r < rows; r++) {
      const j = r % g.kernelW;
      const i = Math.floor(r / g.kernelW) % g.kernelH;
      const c = Math.floor(r / (g.kernelW * g.kernelH));
      const plane = (n * g.inChannels + c) * g.inHeight * g.inWidth;
      const rowBase = (n * rows + r) * L;
      for (let oh = 0; oh < g.outHeight; oh++) {
        const h = oh * g.strideH - g.padTop + i * g.dilationH;
        for (let ow = 0; ow < g.outWidth; ow++) {
          const w = ow * g.strideW - g.padLeft + j * g.dilationW;
          const inside = h >= 0 && h < g.inHeight && w >= 0 && w < g.inWidth;
          columns[rowBase + oh * g.outWidth + ow] = inside ? input[plane + h * g.inWidth + w]! : 0;
        }
      }
    }
  }
}

/** Scatter-adds columns into dInput, which is overwritten (not accumulated). */
export function col2imCpu(g: Conv2dGeometry, columns: Float64Array, dInput: Float64Array): void {
  const L = outputPixels(g);
  const rows = columnRows(g);
  dInput.fill(0, 0, g.batch * g.inChannels * g.inHeight * g.inWidth);
  for (let n = 0; n < g.batch; n++) {
    for (let r = 0; r < rows; r++) {
      const j = r % g.kernelW;
      const i = Math.floor(r / g.kernelW) % g.kernelH;
      const c = Math.floor(r / (g.kernelW * g.kernelH));
      const plane = (n * g.inChannels + c) * g.inHeight * g.inWidth;
      const rowBase = (n * rows + r) * L;
      for (let oh = 0; oh < g.outHeight; oh++) {
        const h = oh * g.strideH - g.padTop + i * g.dilationH;
        if (h < 0 || h >= g.inHeight) continue;
        for (let ow = 0; ow < g.outWidth; ow++) {
          const w = ow * g.strideW - g.padLeft + j * g.dilationW;
          if (w < 0 || w >= g.inWidth) continue;
          dInput[plane + h * g.inWidth + w] += columns[rowBase + oh * g.outWidth + ow]!;
        }
      }
    }
  }
}
