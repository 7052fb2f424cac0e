// CPU tier: the Train view's sweep form as the engine reads it (the run count before queuing, the
// engine's message for a bad field), the base config it shares, and the progress rules (done,
// remaining, the time-left estimate).
import { describe, expect, it } from 'vitest';
import { presetSpec } from '../../src/engine/model/presets';
import { draftSweep, sweepTerms, type DraftData, type SweepForm } from '../../src/renderer/src/components/sweeps/sweepDraft';
import { trainConfigOf as baseTrainConfig } from '../../src/renderer/src/stores/trainConfig';
import { countDone, sweepEta, type SweepSlot } from '../../src/renderer/src/components/sweeps/sweepProgress';
import type { HyperParams } from '../../src/renderer/src/stores/training';

const params: HyperParams = {
  epochs: 1, batchSize: 32, lr: 0.01, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, schedule: 'constant', seed: 42, maxSteps: 2,
  earlyStop: 0, shuffle: true, name: '', convAlgorithm: 'auto', augment: {},
};
const base = baseTrainConfig(params, presetSpec('reference', [1, 28, 28], 10));
const data: DraftData = { name: 'fashion', channels: 1, height: 28, width: 28, classes: Array.from({ length: 10 }, (_, i) => `c${i}`), valCount: 2000 };
const form = (values: Record<string, string>, over: Partial<SweepForm> = {}): SweepForm => ({ method: 'grid', count: 4, seed: 1, values, ...over });

describe('draftSweep', () => {
  it('counts a grid’s runs from lists typed with spaces, fields in form order', () => {
    const f = form({ batch: '16, 32', lr: '0.1, 0.03, 0.01' });
    expect(sweepTerms(f)).toEqual(['lr=0.1, 0.03, 0.01', 'batch=16, 32']);
    const d = draftSweep(f, base, data);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.runs).toHaveLength(6);
    expect(d.runs[1]).toEqual({ lr: 0.1, batch: 32 });
    expect(d.spec).toMatchObject({ format: 'convlab-sweep/1', method: 'grid' });
  });

  it('draws a random search from ranges with the seed', () => {
    const d = draftSweep(form({ lr: 'log:1e-4:1e-1', optimizer: 'sgd, adam' }, { method: 'random', count: 5, seed: 3 }), base, data);
    expect(d.ok && d.runs.length).toBe(5);
    const again = draftSweep(form({ lr: 'log:1e-4:1e-1', optimizer: 'sgd, adam' }, { method: 'random', count: 5, seed: 3 }), base, data);
    expect(again).toEqual(d);
  });

  it('says what is wrong in the engine’s words: a bad value, an empty value, a range in a grid, a model that does not fit', () => {
    const error = (f: SweepForm) => {
      const d = draftSweep(f, base, data);
      return d.ok ? 'ok' : d.error;
    };
    expect(error(form({}))).toMatch(/Give at least one hyperparameter a list of values/);
    expect(error(form({ lr: '0.1, 500' }))).toMatch(/lr=500: must be a number from 0 to 100/);
    expect(error(form({ batch: '32,,64' }))).toMatch(/"batch" has an empty value in its list/);
    expect(error(form({ lr: 'log:1e-4:1e-1' }))).toMatch(/distributions need a random sweep/);
    expect(error(form({ optimizer: 'sgd, lion' }))).toMatch(/optimizer=lion: must be sgd, adam or adamw/);
    expect(error(form({ model: 'reference, conv(8,5) maxpool(2) conv(8,5) maxpool(2) conv(8,5) flatten linear(10)' }))).toMatch(/^run 2 of the sweep \(model=/);
    expect(error(form({ lr: 'uniform:0.5:0.1' }, { method: 'random' }))).toMatch(/finite min < max/);
  });

  it('the base config is what Start sends: SGD momentum only for SGD, no cap when max steps is 0', () => {
    expect(base).toMatchObject({ epochs: 1, batchSize: 32, lr: 0.01, maxSteps: 2, optimizer: { name: 'sgd', momentum: 0.9 } });
    const adam = baseTrainConfig({ ...params, optimizer: 'adam', maxSteps: 0 }, base.spec);
    expect(adam.optimizer.momentum).toBe(0);
    expect('maxSteps' in adam).toBe(false);
    expect('augment' in adam).toBe(false);
  });
});

describe('sweep progress', () => {
  const slots = (statuses: string[]): SweepSlot[] => statuses.map((status, index) => ({ index, params: {}, runId: null, status }));

  it('counts ended runs as done; stopped and interrupted ones are left', () => {
    expect(countDone(slots(['completed', 'diverged', 'failed', 'stopped', 'interrupted', 'pending']))).toBe(3);
  });

  it('estimates from the runs seen finishing, else from the current run’s steps', () => {
    const s = slots(['completed', 'completed', 'running', 'pending', 'pending']);
    // Two runs took 10 s and 14 s (median 12); the current one is 4 s in at half its steps.
    const current = { index: 2, elapsed: 4, step: 5, startStep: 0, totalSteps: 10 };
    expect(sweepEta(s, [10, 14], current)).toBeCloseTo(8 + 2 * 12);
    // No run finished on this page yet: 4 s for half the steps means 8 s a run.
    expect(sweepEta(s, [], current)).toBeCloseTo(4 + 2 * 8);
    // Too early to say.
    expect(sweepEta(s, [], { ...current, step: 0 })).toBeNull();
    expect(sweepEta(slots(['completed']), [], null)).toBe(0);
  });
});
