// Training-time data augmentation: the spec a run records (TrainConfig.augment), its text form
// (`--augment crop:4,flip`, the app's field), and the checks against a dataset. The draws live in
// augmentDraw.ts, the pixels in cpu/augmentBatch.ts and kernels/augment_batch.wgsl; the exact
// semantics (for anyone mirroring them, e.g. the exported PyTorch project) are in
// docs/formats/augmentation.md.
//
// The parts are applied in one fixed order, whatever order the text lists them in:
//   crop:P  (RandomCrop with P pixels of black padding) → flip (horizontal, p = 0.5) →
//   rrc:S   (RandomResizedCrop, area fraction in [S, 1], aspect ratio in [3/4, 4/3], bilinear) →
//   jitter:J (brightness, then contrast, each factor uniform in [1 − J, 1 + J])
// Validation and evaluation never augment.

export interface AugmentSpec {
  /** Padding of the random crop in pixels (torchvision RandomCrop(size, padding=crop)). */
  crop?: number;
  /** Horizontal flip with probability 1/2. */
  flip?: boolean;
  /** Lower bound of the random resized crop's area fraction (the upper bound is 1). */
  rrc?: number;
  /** Strength of the brightness and contrast jitter. */
  jitter?: number;
}

/** torchvision RandomResizedCrop's default aspect-ratio range (w/h, drawn log-uniformly). */
export const RRC_RATIO: readonly [number, number] = [3 / 4, 4 / 3];
export const MAX_CROP_PADDING = 256;

const SYNTAX = 'use a comma-separated list of flip, crop:PIXELS, rrc:MIN_SCALE, jitter:STRENGTH (e.g. "flip,crop:4"), or none';

/** Whether the spec changes anything (an absent or empty spec trains on the images as they are). */
export function isAugmenting(spec: AugmentSpec | undefined): spec is AugmentSpec {
  return !!spec && (!!spec.crop || !!spec.flip || spec.rrc !== undefined || !!spec.jitter);
}

/** Parse `flip,crop:4,rrc:0.6,jitter:0.2` (any order, each part at most once; "" or "none" = none).
 *  A mistake throws an Error naming the part at fault. */
export function parseAugment(text: string): AugmentSpec {
  const spec: AugmentSpec = {};
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return spec;
  const seen = new Set<string>();
  for (const raw of trimmed.split(',')) {
    const part = raw.trim();
    const [name = '', value, extra] = part.split(':');
    if (part === '') throw new Error(`augmentation "${text}" has an empty part; ${SYNTAX}`);
    if (seen.has(name)) throw new Error(`augmentation "${name}" is given twice in "${text}"`);
    seen.add(name);
    if (extra !== undefined) throw new Error(`augmentation "${part}" has too many ':' parts; ${SYNTAX}`);
    switch (name) {
      case 'flip':
        if (value !== undefined) throw new Error(`augmentation "${part}": flip takes no value (it flips half the images)`);
        spec.flip = true;
        break;
      case 'crop':
      case 'rrc':
      case 'jitter':
        spec[name] = numberOf(part, value, RULES[name]);
        break;
      default:
        throw new Error(`unknown augmentation "${part}"; ${SYNTAX}`);
    }
  }
  return spec;
}

interface NumberRule {
  what: string;
  integer?: boolean;
  min: number;
  minExclusive?: boolean;
  max: number;
}

// One set of rules for the text form and for a spec received as data (a worker message, a run).
const RULES: Record<'crop' | 'rrc' | 'jitter', NumberRule> = {
  crop: { what: 'the padding in pixels', integer: true, min: 1, max: MAX_CROP_PADDING },
  rrc: { what: 'the smallest area fraction', min: 0, minExclusive: true, max: 1 },
  jitter: { what: 'the jitter strength', min: 0, minExclusive: true, max: 1 },
};

const fits = (v: number, r: NumberRule): boolean =>
  Number.isFinite(v) && (!r.integer || Number.isInteger(v)) && (r.minExclusive ? v > r.min : v >= r.min) && v <= r.max;

const ruleText = (r: NumberRule): string =>
  `${r.what} must be ${r.integer ? 'a whole number' : 'a number'} ${r.minExclusive ? `above ${r.min} and at most` : `from ${r.min} to`} ${r.max}`;

function numberOf(part: string, value: string | undefined, rule: NumberRule): number {
  const v = Number(value);
  if (value === undefined || value.trim() === '' || !fits(v, rule)) throw new Error(`augmentation "${part}": ${ruleText(rule)}, got "${value ?? ''}"`);
  return v;
}

/** The canonical text, in the order the parts are applied: "crop:4,flip" ("none" when empty). */
export function formatAugment(spec: AugmentSpec | undefined): string {
  if (!isAugmenting(spec)) return 'none';
  const parts: string[] = [];
  if (spec.crop) parts.push(`crop:${spec.crop}`);
  if (spec.flip) parts.push('flip');
  if (spec.rrc !== undefined) parts.push(`rrc:${spec.rrc}`);
  if (spec.jitter) parts.push(`jitter:${spec.jitter}`);
  return parts.join(',');
}

/** What is wrong with a spec received as data (a worker message, a stored run), or null. */
export function augmentProblem(spec: unknown): string | null {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return `augmentation must be an object such as {"crop": 4, "flip": true}, got ${JSON.stringify(spec)}`;
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'flip') {
      if (typeof v !== 'boolean') return `augmentation flip must be true or false, got ${JSON.stringify(v)}`;
    } else if (key === 'crop' || key === 'rrc' || key === 'jitter') {
      if (typeof v !== 'number' || !fits(v, RULES[key])) return `augmentation ${key}: ${ruleText(RULES[key])}, got ${JSON.stringify(v)}`;
    } else {
      return `unknown augmentation "${key}" (known: crop, flip, rrc, jitter)`;
    }
  }
  return null;
}

/** Why `spec` cannot augment images of this shape, or null. */
export function augmentDataProblem(spec: AugmentSpec | undefined, data: { name?: string; channels: number; height: number; width: number }): string | null {
  if (!isAugmenting(spec)) return null;
  const of = data.name ? ` of dataset "${data.name}"` : '';
  const side = Math.min(data.height, data.width);
  if (spec.crop && spec.crop >= side) {
    return `augmentation crop:${spec.crop} pads by at least the image side (${data.height}×${data.width} images${of}); use a padding below ${side}, e.g. crop:${Math.max(1, Math.round(side / 8))}`;
  }
  if (spec.jitter && data.channels !== 1 && data.channels !== 3) {
    return `augmentation jitter works on grey or RGB images, but the images${of} have ${data.channels} channels; train without jitter`;
  }
  if (data.channels > 4) return `augmentation works on images of at most 4 channels, but the images${of} have ${data.channels}`;
  return null;
}

/** Throws when `spec` is not a valid spec or cannot augment these images (Trainer checks this). */
export function checkAugment(spec: unknown, data: { name?: string; channels: number; height: number; width: number }): void {
  if (spec === undefined) return;
  const problem = augmentProblem(spec) ?? augmentDataProblem(spec as AugmentSpec, data);
  if (problem) throw new Error(problem);
}
