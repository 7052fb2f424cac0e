// The random parameters of each augmented image, drawn from a counter-based hash of
// (run seed, step, slot in the batch): no generator state, so a resumed run, the CPU twin, the
// GPU kernel and the app's preview all see the same crops, flips and factors for the same step.
//
// They are drawn here, on the host, in float64, and handed to both backends as one small table
// (AUGMENT_PARAMS numbers per image, uploaded with the batch's indices): the random resized crop
// needs sqrt, exp and round, and WGSL's f32 transcendentals are only accurate to a few ULP, so a
// box computed in the kernel could land one pixel away from the twin's. Integers and float32
// values only, so the table means the same on the CPU (float64) and the GPU (f32).
//
// Draw k of an image is u32(k) = pcg(key ^ pcg(k)), key = pcg(pcg(pcg(seed) ^ step) ^ slot), with
// PCG's hash (cpu/dropout.ts); u(k) = u32(k) / 2³². Each parameter owns fixed draw numbers, so
// turning one augmentation on or off does not change the others' draws.

import { AUGMENT_PARAMS } from '../backend';
import { pcgHash } from '../cpu/dropout';
import { type AugmentSpec, RRC_RATIO } from './augment';

/** One image's parameters, in the table's order (backend.ts AUGMENT_PARAMS). */
export interface AugmentParams {
  /** Crop: the output pixel (y, x) reads source pixel (y + dy, x + dx); outside is black. */
  dy: number;
  dx: number;
  /** 1: mirror the cropped image left to right. */
  flip: number;
  /** Resized crop: the box (top, left, height, width) of the cropped, flipped image that is
   *  resized (bilinear) back to the full size; the whole image when rrc is off. */
  top: number;
  left: number;
  boxHeight: number;
  boxWidth: number;
  /** Jitter factors (1 = unchanged), float32 values. */
  brightness: number;
  contrast: number;
}

const DRAW = { cropY: 0, cropX: 1, flip: 2, rrc: 3, brightness: 43, contrast: 44 } as const;
const RRC_ATTEMPTS = 10;

export function imageKey(seed: number, step: number, slot: number): number {
  return pcgHash((pcgHash((pcgHash(seed >>> 0) ^ step) >>> 0) ^ slot) >>> 0);
}

export const drawU32 = (key: number, k: number): number => pcgHash((key ^ pcgHash(k)) >>> 0);
const drawUnit = (key: number, k: number): number => drawU32(key, k) / 4294967296;

/** Python's round(): halves go to the even neighbour (torchvision's box sizes use it). */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** torchvision RandomResizedCrop.get_params(scale = (minScale, 1), ratio = (3/4, 4/3)) with our
 *  draws: up to 10 tries of area fraction and log-uniform aspect ratio, then the central fallback. */
export function resizedCropBox(key: number, minScale: number, height: number, width: number): [number, number, number, number] {
  const area = height * width;
  const [logLow, logHigh] = [Math.log(RRC_RATIO[0]), Math.log(RRC_RATIO[1])];
  for (let t = 0; t < RRC_ATTEMPTS; t++) {
    const k = DRAW.rrc + 4 * t;
    const targetArea = area * (minScale + (1 - minScale) * drawUnit(key, k));
    const aspect = Math.exp(logLow + (logHigh - logLow) * drawUnit(key, k + 1));
    const w = roundHalfEven(Math.sqrt(targetArea * aspect));
    const h = roundHalfEven(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      return [drawU32(key, k + 2) % (height - h + 1), drawU32(key, k + 3) % (width - w + 1), h, w];
    }
  }
  const inRatio = width / height;
  let [h, w] = [height, width];
  if (inRatio < RRC_RATIO[0]) h = roundHalfEven(width / RRC_RATIO[0]);
  else if (inRatio > RRC_RATIO[1]) w = roundHalfEven(height * RRC_RATIO[1]);
  return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
}

export function drawAugmentParams(spec: AugmentSpec, seed: number, step: number, slot: number, height: number, width: number): AugmentParams {
  const key = imageKey(seed, step, slot);
  const p: AugmentParams = { dy: 0, dx: 0, flip: 0, top: 0, left: 0, boxHeight: height, boxWidth: width, brightness: 1, contrast: 1 };
  if (spec.crop) {
    const span = 2 * spec.crop + 1;
    p.dy = (drawU32(key, DRAW.cropY) % span) - spec.crop;
    p.dx = (drawU32(key, DRAW.cropX) % span) - spec.crop;
  }
  if (spec.flip) p.flip = drawU32(key, DRAW.flip) < 0x80000000 ? 1 : 0;
  if (spec.rrc !== undefined) [p.top, p.left, p.boxHeight, p.boxWidth] = resizedCropBox(key, spec.rrc, height, width);
  if (spec.jitter) {
    const factor = (k: number): number => Math.fround(1 - spec.jitter! + 2 * spec.jitter! * drawUnit(key, k));
    p.brightness = factor(DRAW.brightness);
    p.contrast = factor(DRAW.contrast);
  }
  return p;
}

/** The parameters of `count` images of one step, AUGMENT_PARAMS numbers each, in AugmentParams order. */
export function augmentTable(spec: AugmentSpec, seed: number, step: number, count: number, height: number, width: number): Float64Array {
  const table = new Float64Array(count * AUGMENT_PARAMS);
  for (let i = 0; i < count; i++) {
    const p = drawAugmentParams(spec, seed, step, i, height, width);
    table.set([p.dy, p.dx, p.flip, p.top, p.left, p.boxHeight, p.boxWidth, p.brightness, p.contrast], i * AUGMENT_PARAMS);
  }
  return table;
}
