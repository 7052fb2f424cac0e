// The augmentation preview runs the training step's own draws and CPU twin: its variants are the
// images training step r·variants + v gathers for batch slot i (here checked against the twin
// called as the trainer calls it), an empty spec shows the images unchanged, and flip mirrors.

import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { augmentTable } from '../../../src/engine/train/augmentDraw';
import type { DatasetSamplesResult } from '../../../src/shared/labApi';
import { augmentedSamples } from '../../../src/renderer/src/components/train/augmentPreview';

const [C, H, W] = [3, 6, 5];
const samples: DatasetSamplesResult = {
  id: 'ds-20261206-120000-abcd', classes: ['circle', 'square', 'star'], channels: C, height: H, width: W,
  indices: [4, 9, 17], labels: [0, 1, 2],
  images: Uint8Array.from({ length: 3 * C * H * W }, (_, k) => (k * 53 + 7) % 256),
};

describe('augmentation preview', () => {
  it('shows what the training step gathers for each slot', () => {
    const spec = { crop: 2, flip: true, rrc: 0.5, jitter: 0.3 };
    const rows = augmentedSamples(samples, spec, 42, 2, 3, 1);
    expect(rows.map((r) => r.className)).toEqual(['circle', 'square']);
    const be = new CpuBackend();
    const out = be.alloc(2 * C * H * W);
    be.gatherBatchAugmented({ count: 2, channels: C, height: H, width: W, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
      be.uploadBytes(samples.images), be.uploadU32(Uint32Array.of(0, 1)), augmentTable(spec, 42, 1 * 3 + 2, 2, H, W), out);
    const want = Array.from(out.subarray(C * H * W), (x) => Math.round((x * 0.25 + 0.5) * 255));
    expect(Array.from(rows[1]!.variants[2]!)).toEqual(want);
    expect(rows[0]!.variants[0]).not.toEqual(rows[0]!.variants[1]);
  });

  it('leaves images unchanged without augmentation, and flip mirrors them', () => {
    const plain = augmentedSamples(samples, {}, 1, 3, 2);
    for (const r of plain) for (const v of r.variants) expect(Array.from(v)).toEqual(Array.from(r.original));
    const flipped = augmentedSamples(samples, { flip: true }, 1, 1, 16)[0]!;
    const mirror = (img: Uint8Array) => Uint8Array.from(img, (_, k) => img[k - (k % W) + (W - 1 - (k % W))]!);
    for (const v of flipped.variants) expect([Array.from(flipped.original), Array.from(mirror(flipped.original))]).toContainEqual(Array.from(v));
    expect(flipped.variants.some((v) => Array.from(v).join() !== Array.from(flipped.original).join())).toBe(true);
  });
});
