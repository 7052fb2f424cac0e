// pad2d and its adjoint in float64: the CPU twins of kernels/pad2d.wgsl and
// kernels/pad2d_backward.wgsl. The backward is written as the scatter the math says (each padded
// cell adds its gradient to the cell it copied); the kernel gathers the same sums per input cell.

import type { Pad2dGeometry } from '../backend';
import { padSource, paddedHeight, paddedWidth } from '../conv/paddingMode';

export function pad2dCpu(g: Pad2dGeometry, x: Float64Array, y: Float64Array): void {
  const [hp, wp] = [paddedHeight(g), paddedWidth(g)];
  for (let plane = 0; plane < g.planes; plane++) {
    for (let qh = 0; qh < hp; qh++) {
      const h = padSource(qh, g.height, g.top, g.mode);
      for (let qw = 0; qw < wp; qw++) {
        y[(plane * hp + qh) * wp + qw] = x[(plane * g.height + h) * g.width + padSource(qw, g.width, g.left, g.mode)]!;
      }
    }
  }
}

export function pad2dBackwardCpu(g: Pad2dGeometry, dY: Float64Array, dX: Float64Array): void {
  const [hp, wp] = [paddedHeight(g), paddedWidth(g)];
  dX.fill(0, 0, g.planes * g.height * g.width);
  for (let plane = 0; plane < g.planes; plane++) {
    for (let qh = 0; qh < hp; qh++) {
      const h = padSource(qh, g.height, g.top, g.mode);
      for (let qw = 0; qw < wp; qw++) {
        dX[(plane * g.height + h) * g.width + padSource(qw, g.width, g.left, g.mode)] += dY[(plane * hp + qh) * wp + qw]!;
      }
    }
  }
}
