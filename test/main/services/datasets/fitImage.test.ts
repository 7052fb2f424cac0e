import { describe, expect, it } from 'vitest';
import { fitImage } from '../../../../src/main/services/datasets/fitImage';
import type { PlanarImage } from '../../../../src/main/services/datasets/fitImage';

function gray(height: number, width: number, values: number[]): PlanarImage {
  if (values.length !== height * width) throw new Error('bad test image');
  return { channels: 1, height, width, data: Uint8Array.from(values) };
}

const list = (a: Uint8Array) => Array.from(a);

describe('fitImage resize', () => {
  it('copies an image that already has the target size', () => {
    expect(list(fitImage(gray(2, 2, [1, 2, 3, 4]), 2, 2, 'resize'))).toEqual([1, 2, 3, 4]);
  });

  it('averages 2x2 blocks when halving (area averaging, round half up)', () => {
    const src = gray(2, 4, [0, 10, 1, 2, 20, 30, 3, 4]);
    // blocks: (0+10+20+30)/4 = 15, (1+2+3+4)/4 = 2.5 -> 3
    expect(list(fitImage(src, 1, 2, 'resize'))).toEqual([15, 3]);
  });

  it('weights partial source pixels when shrinking by a non-integer factor', () => {
    // 3 -> 2: output 0 covers [0, 1.5): 1*a + 0.5*b over 1.5; output 1 covers [1.5, 3): 0.5*b + 1*c.
    const src = gray(1, 3, [0, 90, 180]);
    expect(list(fitImage(src, 1, 2, 'resize'))).toEqual([30, 150]);
  });

  it('interpolates bilinearly between pixel centres when growing, clamping at the edges', () => {
    // 2 -> 4 (align_corners=False): x = (i + 0.5)/2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> clamp -> 0, .25, .75, 1
    const src = gray(1, 2, [0, 100]);
    expect(list(fitImage(src, 1, 4, 'resize'))).toEqual([0, 25, 75, 100]);
  });

  it('shrinks one axis and grows the other', () => {
    // width 2 -> 1 (average), height 1 -> 2 (constant rows)
    expect(list(fitImage(gray(1, 2, [10, 31]), 2, 1, 'resize'))).toEqual([21, 21]);
  });

  it('keeps channel planes apart', () => {
    const rgb: PlanarImage = { channels: 3, height: 1, width: 2, data: Uint8Array.of(0, 10, 100, 200, 7, 7) };
    expect(list(fitImage(rgb, 1, 1, 'resize'))).toEqual([5, 150, 7]);
  });
});

describe('fitImage center-crop', () => {
  it('cuts the centre square out of a wide image', () => {
    // 2x4 -> 2x2: keep columns 1..2
    const src = gray(2, 4, [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(list(fitImage(src, 2, 2, 'center-crop'))).toEqual([2, 3, 6, 7]);
  });

  it('cuts the centre of a tall image, then scales it', () => {
    // 4x1 -> 1x1 target: crop the middle 1x1 region starting at row floor((4-1)/2) = 1
    const src = gray(4, 1, [10, 20, 30, 40]);
    expect(list(fitImage(src, 1, 1, 'center-crop'))).toEqual([20]);
    // 6x2 -> 1x1: crop rows 2..3 (2x2 square), average = (3+4+5+6)/4 = 4.5 -> 5
    const tall = gray(6, 2, [1, 1, 2, 2, 3, 4, 5, 6, 9, 9, 9, 9]);
    expect(list(fitImage(tall, 1, 1, 'center-crop'))).toEqual([5]);
  });
});

describe('fitImage pad', () => {
  it('scales the long side to fit and centres the image on zeros', () => {
    // 1x2 into 4x4: scale 2 -> 2x4, rows 1..2
    const src = gray(1, 2, [100, 100]);
    expect(list(fitImage(src, 4, 4, 'pad'))).toEqual([0, 0, 0, 0, 100, 100, 100, 100, 100, 100, 100, 100, 0, 0, 0, 0]);
  });

  it('pads a tall image left and right', () => {
    // 2x1 into 2x3: already fits height, width 1 placed at column 1
    expect(list(fitImage(gray(2, 1, [7, 9]), 2, 3, 'pad'))).toEqual([0, 7, 0, 0, 9, 0]);
  });

  it('shrinks before padding', () => {
    // 2x4 into 2x2: scale 0.5 -> 1x2 (block averages), placed at row floor((2-1)/2) = 0
    const src = gray(2, 4, [0, 10, 1, 2, 20, 30, 3, 4]);
    expect(list(fitImage(src, 2, 2, 'pad'))).toEqual([15, 3, 0, 0]);
  });
});
