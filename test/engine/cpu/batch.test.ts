// gatherBatch / gatherLabels CPU twins: a hand-built uint8 dataset, normalisation per channel,
// and errors for bad indices and options.

import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { maxAbsDiff } from '../../helpers/random';

const be = new CpuBackend();

// Three samples of 2 channels × 1×2 pixels; sample s, channel c, pixel p holds 100·s + 10·c + p.
const bytes = Uint8Array.from({ length: 12 }, (_, k) => 100 * Math.floor(k / 4) + 10 * (Math.floor(k / 2) % 2) + (k % 2));
const options = { count: 2, channels: 2, height: 1, width: 2, mean: [0.5, 0.25], std: [0.5, 2] };

describe('gather CPU twins', () => {
  it('gatherBatch picks the indexed samples and normalises (v/255 − mean[c]) / std[c]', () => {
    const out = be.alloc(8);
    be.gatherBatch(options, be.uploadBytes(bytes), be.uploadU32(Uint32Array.of(2, 0)), out);
    const want = [200, 201, 210, 211, 0, 1, 10, 11].map((v, k) => {
      const c = Math.floor(k / 2) % 2;
      return (v / 255 - options.mean[c]!) / options.std[c]!;
    });
    expect(maxAbsDiff(out, want)).toBeLessThan(1e-15);
  });

  it('gatherLabels reads one byte per index as a class index', () => {
    const out = be.alloc(3);
    be.gatherLabels(3, be.uploadBytes(Uint8Array.of(7, 3, 255)), be.uploadU32(Uint32Array.of(2, 2, 1)), out);
    expect(Array.from(out)).toEqual([255, 255, 3]);
  });

  it('names an index outside the dataset and a mean/std of the wrong length', () => {
    expect(() => be.gatherBatch(options, be.uploadBytes(bytes), be.uploadU32(Uint32Array.of(0, 3)), be.alloc(8))).toThrow(/sample index 3 at position 1 is outside the dataset's 3 samples/);
    expect(() => be.gatherBatch({ ...options, std: [1] }, be.uploadBytes(bytes), be.uploadU32(Uint32Array.of(0, 1)), be.alloc(8))).toThrow(/one value per channel \(2\)/);
    expect(() => be.gatherBatch({ ...options, std: [1, 0] }, be.uploadBytes(bytes), be.uploadU32(Uint32Array.of(0, 1)), be.alloc(8))).toThrow(/std must be positive/);
  });
});
