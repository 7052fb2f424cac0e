// The augmentation's draws and pixels against a PyTorch reference written from the documented
// semantics (scripts/fixtures/make_augment_fixture.py → test/fixtures/engine/augment.json), plus
// the properties training relies on: the same (seed, step, slot) gives the same batch, another
// step gives another, and a table of identity rows is exactly gatherBatch.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUGMENT_PARAMS } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import type { AugmentSpec } from '../../../src/engine/train/augment';
import { augmentTable, drawAugmentParams, roundHalfEven } from '../../../src/engine/train/augmentDraw';
import { maxAbsDiff } from '../../helpers/random';

interface Fixture {
  draws: Array<{ spec: AugmentSpec; seed: number; step: number; slot: number; height: number; width: number; params: number[] }>;
  batches: Array<{ name: string; channels: number; height: number; width: number; mean: number[]; std: number[]; images: number[]; indices: number[]; params: number[]; expected: number[] }>;
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/engine/augment.json', import.meta.url), 'utf8')) as Fixture;
const be = new CpuBackend();

const paramsOf = (p: ReturnType<typeof drawAugmentParams>): number[] => [p.dy, p.dx, p.flip, p.top, p.left, p.boxHeight, p.boxWidth, p.brightness, p.contrast];

describe('augmentation draws', () => {
  it.each(fixture.draws.map((d) => [`${JSON.stringify(d.spec)} seed ${d.seed} step ${d.step} slot ${d.slot} at ${d.height}×${d.width}`, d] as const))(
    '%s match the documented hash and torchvision get_params', (_name, d) => {
      expect(paramsOf(drawAugmentParams(d.spec, d.seed, d.step, d.slot, d.height, d.width))).toEqual(d.params);
    });

  it('rounds halves to even, as Python does for the crop box', () => {
    expect([0.5, 1.5, 2.5, 3.49, 3.5, 4.5000001].map(roundHalfEven)).toEqual([0, 2, 2, 3, 4, 5]);
  });

  it('depends on (seed, step, slot) only, and each part keeps its own draws', () => {
    const spec: AugmentSpec = { crop: 4, flip: true, rrc: 0.5, jitter: 0.3 };
    expect(augmentTable(spec, 3, 10, 8, 32, 32)).toEqual(augmentTable(spec, 3, 10, 8, 32, 32));
    expect(augmentTable(spec, 3, 11, 8, 32, 32)).not.toEqual(augmentTable(spec, 3, 10, 8, 32, 32));
    expect(augmentTable(spec, 4, 10, 8, 32, 32)).not.toEqual(augmentTable(spec, 3, 10, 8, 32, 32));
    const alone = drawAugmentParams({ crop: 4 }, 3, 10, 2, 32, 32);
    const together = drawAugmentParams(spec, 3, 10, 2, 32, 32);
    expect([alone.dy, alone.dx]).toEqual([together.dy, together.dx]);
  });

  it('spreads crops over −P…P, flips about half, and keeps factors inside [1 − J, 1 + J]', () => {
    const t = augmentTable({ crop: 2, flip: true, jitter: 0.2 }, 1, 0, 2000, 28, 28);
    const column = (k: number) => Array.from({ length: 2000 }, (_, i) => t[i * AUGMENT_PARAMS + k]!);
    expect(new Set(column(0))).toEqual(new Set([-2, -1, 0, 1, 2]));
    const flips = column(2).reduce((a, b) => a + b, 0);
    expect(flips).toBeGreaterThan(900);
    expect(flips).toBeLessThan(1100);
    for (const b of [...column(7), ...column(8)]) expect(Math.abs(b - 1)).toBeLessThanOrEqual(0.2 + 1e-7);
  });
});

describe('augmented gather (CPU twin)', () => {
  it.each(fixture.batches.map((b) => [b.name, b] as const))('%s matches PyTorch', (_name, b) => {
    const opts = { count: b.indices.length, channels: b.channels, height: b.height, width: b.width, mean: b.mean, std: b.std };
    const out = be.alloc(b.expected.length);
    be.gatherBatchAugmented(opts, be.uploadBytes(Uint8Array.from(b.images)), be.uploadU32(Uint32Array.from(b.indices)), be.upload(b.params), out);
    expect(maxAbsDiff(out, b.expected)).toBeLessThan(1e-12);
  });

  it('with identity rows is exactly gatherBatch', () => {
    const [C, H, W, n] = [3, 5, 6, 4];
    const images = Uint8Array.from({ length: 7 * C * H * W }, (_, i) => (i * 37) % 256);
    const indices = be.uploadU32(Uint32Array.of(6, 0, 3, 3));
    const opts = { count: n, channels: C, height: H, width: W, mean: [0.4, 0.5, 0.6], std: [0.2, 0.3, 0.25] };
    const plain = be.alloc(n * C * H * W);
    const augmented = be.alloc(n * C * H * W);
    be.gatherBatch(opts, be.uploadBytes(images), indices, plain);
    be.gatherBatchAugmented(opts, be.uploadBytes(images), indices, be.upload(augmentTable({}, 1, 0, n, H, W)), augmented);
    expect(Array.from(augmented)).toEqual(Array.from(plain));
  });

  it('names a parameter table that is too short and an index outside the dataset', () => {
    const opts = { count: 2, channels: 1, height: 2, width: 2, mean: [0], std: [1] };
    const images = be.uploadBytes(new Uint8Array(8));
    expect(() => be.gatherBatchAugmented(opts, images, be.uploadU32(Uint32Array.of(0, 1)), be.upload(new Float64Array(9)), be.alloc(8))).toThrow(/holds 9 numbers, need 9 for each of 2 images/);
    expect(() => be.gatherBatchAugmented(opts, images, be.uploadU32(Uint32Array.of(0, 2)), be.upload(new Float64Array(18)), be.alloc(8))).toThrow(/sample index 2 at position 1/);
  });
});
