// Property tests over seeded random specs: both forms round-trip to the same canonical spec, and
// formatText writes nothing that could be left out.

import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/engine/model/canonicalJson';
import { formatLayer, formatText } from '../../../src/engine/model/formatText';
import { buildLayer, buildModel, type LayerInit } from '../../../src/engine/model/layers';
import { parseJson } from '../../../src/engine/model/parseJson';
import { parseText } from '../../../src/engine/model/parseText';
import type { ModelSpec } from '../../../src/engine/model/spec';
import { seeded } from '../../helpers/random';

type Rng = () => number;
const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const pair = (r: Rng, lo: number, hi: number): [number, number] => (r() < 0.5 ? [int(r, lo, hi), int(r, lo, hi)] : ((v) => [v, v])(int(r, lo, hi)) as [number, number]);

function randomLayer(r: Rng): LayerInit {
  switch (int(r, 0, 10)) {
    case 0: {
      const groups = pick(r, [1, 1, 2, 3]);
      const stride = r() < 0.6 ? [1, 1] as [number, number] : pair(r, 1, 3);
      const strideOne = stride[0] === 1 && stride[1] === 1;
      return {
        type: 'conv2d', out_channels: groups * int(r, 1, 6), kernel_size: pair(r, 1, 5), stride,
        padding: strideOne && r() < 0.3 ? 'same' : pick(r, [0, 1, [2, 1]] as const),
        dilation: r() < 0.7 ? 1 : pair(r, 1, 3), groups, bias: r() < 0.7,
        padding_mode: pick(r, ['zeros', 'zeros', 'reflect', 'replicate', 'circular'] as const),
      };
    }
    case 1: return { type: 'linear', out_features: int(r, 1, 100), bias: r() < 0.7 };
    case 2: return { type: 'relu' };
    case 3: return { type: 'leaky_relu', negative_slope: pick(r, [0.01, 0.1, -0.3, r(), 1e-7]) };
    case 4: {
      const kernel = pair(r, 1, 4);
      return {
        type: 'max_pool2d', kernel_size: kernel, stride: r() < 0.5 ? null : pair(r, 1, 3),
        padding: [int(r, 0, kernel[0] >> 1), int(r, 0, kernel[1] >> 1)], dilation: r() < 0.7 ? 1 : pair(r, 1, 2),
        ceil_mode: r() < 0.3,
      };
    }
    case 5: {
      const kernel = pair(r, 1, 4);
      return {
        type: 'avg_pool2d', kernel_size: kernel, stride: r() < 0.5 ? null : pair(r, 1, 3),
        padding: [int(r, 0, kernel[0] >> 1), int(r, 0, kernel[1] >> 1)], ceil_mode: r() < 0.3, count_include_pad: r() < 0.7,
      };
    }
    case 6: return { type: 'flatten' };
    case 7: return { type: 'dropout', p: pick(r, [0.5, 0, 1, 0.25, r()]) };
    case 8: return { type: pick(r, ['sigmoid', 'tanh', 'gelu', 'silu'] as const) };
    case 9: return { type: 'adaptive_avg_pool2d', output_size: pick(r, [1, [1, 1]] as const) };
    default: return { type: 'batch_norm2d', eps: pick(r, [1e-5, 1e-3, 2.5e-7]), momentum: pick(r, [0.1, 0, 1, r()]), affine: r() < 0.7 };
  }
}

function randomSpec(seed: number): ModelSpec {
  const r = seeded(seed);
  const layers = Array.from({ length: int(r, 1, 8) }, () => randomLayer(r));
  return buildModel([int(r, 1, 4), int(r, 1, 40), int(r, 1, 40)], layers);
}

const SEEDS = Array.from({ length: 300 }, (_, i) => i + 1);

describe('round trips over 300 random specs', () => {
  it('text → spec → text', () => {
    for (const seed of SEEDS) {
      const spec = randomSpec(seed);
      const text = formatText(spec);
      const back = parseText(text, spec.input);
      expect(back, `seed ${seed}: ${text}`).toEqual(spec);
      expect(formatText(back)).toBe(text);
    }
  });

  it('JSON → spec → JSON', () => {
    for (const seed of SEEDS) {
      const spec = randomSpec(seed);
      const json = canonicalJson(spec);
      const back = parseJson(json);
      expect(back, `seed ${seed}`).toEqual(spec);
      expect(canonicalJson(back)).toBe(json);
    }
  });

  it('formatText is shortest: dropping any argument changes the layer or fails to parse', () => {
    for (const seed of SEEDS) {
      for (const layer of randomSpec(seed).layers) {
        const text = formatLayer(layer);
        const open = text.indexOf('(');
        if (open < 0) continue;
        const args = text.slice(open + 1, -1).split(',');
        for (let i = 0; i < args.length; i++) {
          const rest = args.filter((_, j) => j !== i);
          const shorter = `${text.slice(0, open)}${rest.length > 0 ? `(${rest.join(',')})` : ''}`;
          let changed = true;
          try {
            changed = JSON.stringify(parseText(shorter, [1, 1, 1]).layers[0]) !== JSON.stringify(layer);
          } catch {
            // fails to parse: the argument was needed
          }
          expect(changed, `${text} → ${shorter}`).toBe(true);
        }
      }
    }
  });

  it('a layer of defaults is written as its bare name', () => {
    const defaults: LayerInit[] = [{ type: 'relu' }, { type: 'flatten' }, { type: 'leaky_relu' }, { type: 'dropout' }, { type: 'batch_norm2d' }];
    const names = defaults.map((init) => formatLayer(buildLayer(init)));
    expect(names).toEqual(['relu', 'flatten', 'lrelu', 'dropout', 'bn']);
  });

  it('canonical JSON does not depend on key order or omitted defaults', () => {
    const a = parseJson({ format: 'convlab-model/1', input: [1, 8, 8], layers: [{ bias: true, kernel_size: 3, type: 'conv2d', out_channels: 4 }] });
    const b = parseText('conv(4,3)', [1, 8, 8]);
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    const shuffled = { ...b, layers: [{ groups: 1, type: 'conv2d', bias: true, out_channels: 4, padding: [0, 0], dilation: [1, 1], stride: [1, 1], kernel_size: [3, 3] }] } as ModelSpec;
    expect(canonicalJson(shuffled)).toBe(canonicalJson(b));
  });
});
