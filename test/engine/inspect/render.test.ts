// The drawing code shared by `convlab inspect --out` and the Inspect page, and the filter
// statistics: 0 is white on a diverging scale, the grid lays tiles out where it says, filter norms
// are their GEMM rows', the saliency map is the largest |gradient| over the channels.
import { describe, expect, it } from 'vitest';
import { colourFilters, filterStats, filterTiles, saliencyMap } from '../../../src/engine/inspect/filters';
import { inspect } from '../../../src/engine/inspect/inspect';
import { findModule } from '../../../src/engine/inspect/modulePath';
import { colorAt, featureMapGrid, gridImage, planeImage, rangeOf, scaleFor } from '../../../src/engine/inspect/render';
import { cpuFixture } from './fixture';

describe('render', () => {
  it('picks a diverging scale for signed data and a sequential one otherwise', () => {
    expect(scaleFor({ min: -2, max: 1 })).toEqual({ kind: 'diverging', lo: 0, hi: 2 });
    expect(scaleFor({ min: 0, max: 3 })).toEqual({ kind: 'sequential', lo: 0, hi: 3 });
    const d = scaleFor({ min: -1, max: 1 });
    expect(colorAt(d, 0)).toEqual([245, 245, 245]);
    expect(colorAt(d, 1)[0]).toBeGreaterThan(colorAt(d, 1)[2]);
    expect(colorAt(d, -1)[2]).toBeGreaterThan(colorAt(d, -1)[0]);
    expect(colorAt(d, Number.NaN)).toEqual([255, 0, 255]);
    const s = scaleFor({ min: 0, max: 1 });
    expect(colorAt(s, 1).reduce((a, b) => a + b)).toBeGreaterThan(colorAt(s, 0).reduce((a, b) => a + b));
    expect(rangeOf([3, Number.NaN, -1])).toEqual({ min: -1, max: 3 });
  });

  it('lays tiles out in a grid with gaps, zoomed by whole pixels', () => {
    const tile = planeImage(Float64Array.of(0, 1, 2, 3), 0, 2, 2, scaleFor({ min: 0, max: 3 }));
    const grid = gridImage([tile, tile, tile], 2, 3, 1);
    expect([grid.width, grid.height]).toEqual([2 * 6 + 1, 2 * 6 + 1]);
    const px = (x: number, y: number) => Array.from(grid.data.subarray((y * grid.width + x) * 4, (y * grid.width + x) * 4 + 4));
    expect(px(0, 0)).toEqual(px(2, 2)); // one source pixel, 3×3 on screen
    expect(px(6, 0)).toEqual([128, 128, 128, 128]); // the gap
    expect(px(7 + 5, 7 + 5)).toEqual([128, 128, 128, 128]); // no fourth tile
    expect(featureMapGrid(new Float64Array(5 * 4 * 4), 5, 4, 4, true, 2).width).toBe(3 * 8 + 2);
  });

  it('gives each filter its weight and gradient norms, colour tiles for an RGB first layer, and the saliency map', async () => {
    const f = cpuFixture('conv(4,3,p=1) relu conv(2,3,g=2) flatten linear(3)', [3, 6, 6], 1);
    const got = await inspect(f.be, f.model, f.source, 1, { kind: 'class', classes: [0] });
    const first = findModule(got, '0').conv!;
    const stats = filterStats(first);
    const w = first.weight.data;
    expect(stats[1]!.norm).toBeCloseTo(Math.sqrt(w.subarray(27, 54).reduce((s, v) => s + v * v, 0)), 12);
    expect(stats[1]!.gradNorm).toBeCloseTo(Math.sqrt(first.weight.grad!.subarray(27, 54).reduce((s, v) => s + v * v, 0)), 12);
    expect(stats[1]!.bias).toBe(first.bias![1]);
    expect(colourFilters(first, true)).toBe(true);
    expect(filterTiles(first, true)[0]!.width).toBe(3);
    const second = findModule(got, '2').conv!;
    expect(colourFilters(second, false)).toBe(false);
    expect(filterTiles(second, false)[0]!.width).toBe(2 * 3 + 1); // C/groups = 2 kernels side by side
    const map = saliencyMap(got.input, 0)!;
    const g = got.input.grad!;
    expect(map[7]).toBe(Math.max(Math.abs(g[7]!), Math.abs(g[36 + 7]!), Math.abs(g[72 + 7]!)));
  });
});
