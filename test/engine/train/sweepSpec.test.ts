// Sweep specs: the compact and JSON forms, grid and seeded random expansion, and the overrides a
// run's parameters make on the base config (with the trainer's own ranges).
import { describe, expect, it } from 'vitest';
import { parseText } from '../../../src/engine/model/parseText';
import { DEFAULT_OPTIMIZER } from '../../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../../src/engine/optim/schedule';
import { applySweepParams, checkSweepKeys } from '../../../src/engine/train/sweep/overrides';
import { expandSweep, parseCompactSweep, parseSweepJson } from '../../../src/engine/train/sweep/sweepSpec';
import type { TrainConfig } from '../../../src/engine/train/types';

const spec = parseText('conv(4,3) relu flatten linear(10)', [1, 28, 28]);
const base: TrainConfig = { spec, epochs: 1, batchSize: 8, lr: 0.1, optimizer: { ...DEFAULT_OPTIMIZER }, schedule: { ...DEFAULT_SCHEDULE }, seed: 1, shuffle: true };

describe('sweep specs', () => {
  it('expand a grid with the last key varying fastest', () => {
    expect(expandSweep(parseCompactSweep(['lr=0.1,0.01', 'optimizer=sgd,adam']))).toEqual([
      { lr: 0.1, optimizer: 'sgd' }, { lr: 0.1, optimizer: 'adam' }, { lr: 0.01, optimizer: 'sgd' }, { lr: 0.01, optimizer: 'adam' },
    ]);
  });

  it('keep commas inside parentheses in one value (model texts)', () => {
    expect(expandSweep(parseCompactSweep(['model=conv(8,3) flatten linear(10),lenet5']))).toEqual([{ model: 'conv(8,3) flatten linear(10)' }, { model: 'lenet5' }]);
  });

  it('draw random runs from distributions, the same for the same seed', () => {
    const s = parseCompactSweep(['lr=log:1e-4:1e-1', 'batch=int:16:64', 'optimizer=sgd,adam'], { random: 20, seed: 3 });
    const a = expandSweep(s);
    expect(a).toHaveLength(20);
    expect(expandSweep(s)).toEqual(a);
    expect(expandSweep({ ...s, seed: 4 })).not.toEqual(a);
    for (const r of a) {
      expect(r.lr).toBeGreaterThanOrEqual(1e-4);
      expect(r.lr).toBeLessThanOrEqual(1e-1);
      expect(Number.isInteger(r.batch)).toBe(true);
      expect(['sgd', 'adam']).toContain(r.optimizer);
    }
    // Log-uniform: about as many draws below 1e-2.5 as above.
    const low = a.filter((r) => (r.lr as number) < 10 ** -2.5).length;
    expect(low).toBeGreaterThan(3);
    expect(low).toBeLessThan(17);
  });

  it('read the JSON form and refuse malformed ones', () => {
    const json = { format: 'convlab-sweep/1', method: 'grid', seed: 1, parameters: { lr: { values: [0.1, 0.2] } } };
    expect(expandSweep(parseSweepJson(json, 'f.json'))).toHaveLength(2);
    expect(() => parseSweepJson({ ...json, format: 'x' }, 'f.json')).toThrow(/f\.json: "format" must be "convlab-sweep\/1"/);
    expect(() => parseSweepJson({ ...json, method: 'random' }, 'f.json')).toThrow(/needs "count"/);
    expect(() => parseSweepJson({ ...json, parameters: { lr: { distribution: 'uniform', min: 1, max: 1 } }, method: 'random', count: 2 }, 'f.json')).toThrow(/min < max/);
    expect(() => parseCompactSweep(['lr=0.1', 'lr=0.2'])).toThrow(/"lr" is given twice/);
    expect(() => parseCompactSweep(['lr'])).toThrow(/not KEY=VALUES/);
  });
});

describe('sweep overrides', () => {
  it('apply a run\'s parameters with the trainer\'s rules', () => {
    const c = applySweepParams(base, { lr: 0.03, batch: 32, optimizer: 'adam', schedule: 'cosine+warmup:10', augment: 'flip' }, () => spec);
    expect(c).toMatchObject({ lr: 0.03, batchSize: 32, optimizer: { name: 'adam', momentum: 0 }, schedule: { kind: 'cosine', warmupSteps: 10 }, augment: { flip: true } });
    expect(base.lr).toBe(0.1); // the base is not changed
    expect(() => applySweepParams(base, { batch: 2.5 }, () => spec)).toThrow('batch=2.5: must be a whole number ≥ 1');
    expect(() => applySweepParams(base, { 'label-smoothing': 1 }, () => spec)).toThrow(/below 1/);
    expect(() => applySweepParams(base, { schedule: 'sometimes' }, () => spec)).toThrow(/schedule=sometimes: unknown schedule/);
    expect(() => applySweepParams(base, { model: 'cnv(3)' }, () => { throw new Error('unknown layer'); })).toThrow('model=cnv(3): unknown layer');
    expect(() => applySweepParams(base, { optimizer: 'adam', nesterov: true }, () => spec)).toThrow(/Nesterov momentum needs optimizer sgd/);
  });

  it('refuse keys that are not sweepable, saying why', () => {
    expect(() => checkSweepKeys(['lr', 'colour'])).toThrow(/unknown option "colour"/);
    expect(() => checkSweepKeys(['home'])).toThrow(/"home" cannot be swept/);
  });
});
