// The augmentation spec: its text form (--augment, the app's field), the canonical text, and the
// checks of a spec received as data and against a dataset's images.

import { describe, expect, it } from 'vitest';
import { augmentDataProblem, augmentProblem, checkAugment, formatAugment, isAugmenting, parseAugment } from '../../../src/engine/train/augment';

describe('augmentation spec', () => {
  it('parses every part in any order and formats them in the order they are applied', () => {
    expect(parseAugment('flip,crop:4')).toEqual({ flip: true, crop: 4 });
    const all = parseAugment(' jitter:0.2 , rrc:0.6,flip, crop:2 ');
    expect(all).toEqual({ jitter: 0.2, rrc: 0.6, flip: true, crop: 2 });
    expect(formatAugment(all)).toBe('crop:2,flip,rrc:0.6,jitter:0.2');
    expect(parseAugment(formatAugment(all))).toEqual(all);
    expect(parseAugment('rrc:1')).toEqual({ rrc: 1 });
  });

  it('reads "", "none" and an empty spec as no augmentation', () => {
    expect(parseAugment('')).toEqual({});
    expect(parseAugment('none')).toEqual({});
    expect(isAugmenting({})).toBe(false);
    expect(isAugmenting(undefined)).toBe(false);
    expect(isAugmenting({ flip: false })).toBe(false);
    expect(formatAugment({})).toBe('none');
  });

  it.each([
    ['flop', /unknown augmentation "flop"; use a comma-separated list/],
    ['flip,,crop:4', /has an empty part/],
    ['flip,flip', /"flip" is given twice/],
    ['flip:1', /"flip:1": flip takes no value/],
    ['crop', /"crop": the padding in pixels must be a whole number from 1 to 256, got ""/],
    ['crop:2.5', /"crop:2.5": the padding in pixels must be a whole number/],
    ['crop:0', /"crop:0"/],
    ['crop:4:4', /"crop:4:4" has too many ':' parts/],
    ['rrc:0', /"rrc:0": the smallest area fraction must be a number above 0 and at most 1, got "0"/],
    ['rrc:1.5', /"rrc:1.5"/],
    ['jitter:abc', /"jitter:abc": the jitter strength must be a number above 0 and at most 1/],
  ])('refuses %s, naming the part', (text, message) => {
    expect(() => parseAugment(text)).toThrow(message);
  });

  it('checks a spec received as data with the same rules', () => {
    expect(augmentProblem({ crop: 4, flip: true, rrc: 0.6, jitter: 0.2 })).toBeNull();
    expect(augmentProblem({})).toBeNull();
    expect(augmentProblem({ crop: 0 })).toMatch(/crop: the padding in pixels must be a whole number from 1 to 256, got 0/);
    expect(augmentProblem({ flip: 'yes' })).toMatch(/flip must be true or false/);
    expect(augmentProblem({ mixup: 1 })).toMatch(/unknown augmentation "mixup"/);
    expect(augmentProblem('flip')).toMatch(/must be an object/);
  });

  it('refuses a crop padding of the image side and jitter on images that are neither grey nor RGB', () => {
    expect(augmentDataProblem({ crop: 4 }, { channels: 1, height: 28, width: 28 })).toBeNull();
    expect(augmentDataProblem({ crop: 8 }, { name: 'tiny', channels: 3, height: 8, width: 16 })).toMatch(/crop:8 pads by at least the image side \(8×16 images of dataset "tiny"\); use a padding below 8, e.g. crop:1/);
    expect(augmentDataProblem({ jitter: 0.2 }, { channels: 2, height: 8, width: 8 })).toMatch(/jitter works on grey or RGB images, but the images have 2 channels/);
    expect(() => checkAugment({ crop: 40 }, { channels: 3, height: 32, width: 32 })).toThrow(/crop:40/);
    expect(() => checkAugment({ rrc: 2 }, { channels: 3, height: 32, width: 32 })).toThrow(/rrc: the smallest area fraction/);
    expect(() => checkAugment(undefined, { channels: 3, height: 32, width: 32 })).not.toThrow();
  });
});
