// Pictures for the trace of a conv output: a channel of the layer's input inside the padded frame
// the taps are placed in (padding drawn as such: a neutral grey for zeros, the copied cell dimmed
// for reflect/replicate/circular, via the same padSource the kernels follow), and the marks that
// outline the receptive field.
import { padSource } from '../../../../engine/conv/paddingMode';
import { type ColorScale, type RgbaImage, colorAt } from '../../../../engine/inspect/render';
import type { ConvTrace } from '../../../../engine/inspect/trace';

export interface PixelMark {
  x: number;
  y: number;
  /** 'pick': the clicked output; 'tap': a receptive-field cell; 'pad': a tap on padding. */
  kind: 'pick' | 'tap' | 'pad';
}

const PADDING_GREY = [200, 200, 200] as const;

/** Channel c of `input` (C×inH×inW) in the trace's padded frame. */
export function frameImage(input: Float64Array, c: number, inH: number, inW: number, trace: ConvTrace, scale: ColorScale): RgbaImage {
  const { height, width, top, left, mode } = trace.frame;
  const data = new Uint8Array(height * width * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const h = y - top;
      const w = x - left;
      const inside = h >= 0 && h < inH && w >= 0 && w < inW;
      let rgb: readonly number[];
      if (inside) rgb = colorAt(scale, input[(c * inH + h) * inW + w]!);
      else if (mode === 'zeros') rgb = PADDING_GREY;
      else {
        const v = input[(c * inH + padSource(y, inH, top, mode)) * inW + padSource(x, inW, left, mode)]!;
        rgb = colorAt(scale, v).map((k) => Math.round(k * 0.6 + 255 * 0.4));
      }
      data.set([rgb[0]!, rgb[1]!, rgb[2]!, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** The taps of channel c, in frame coordinates. */
export function tapMarks(trace: ConvTrace, c: number): PixelMark[] {
  return trace.taps.filter((t) => t.c === c).map((t) => ({ x: t.frameW, y: t.frameH, kind: t.source ? 'tap' : 'pad' }));
}

/** The input cells channel c's taps read, in input coordinates (where the gradient lands). */
export function sourceMarks(trace: ConvTrace, c: number): PixelMark[] {
  return trace.taps.filter((t) => t.c === c && t.source).map((t) => ({ x: t.source!.w, y: t.source!.h, kind: 'tap' }));
}
