// The run query language (filters and sorting) on hand-made facts, and the facts of a manifest.
import { describe, expect, it } from 'vitest';
import { differingFacts, runFacts, type FactValue } from '../../src/shared/runFacts';
import { parseRunFilter, parseRunSort, RunQueryError } from '../../src/shared/runQuery';
import type { RunManifest } from '../../src/shared/runFormat';

const rows: Array<Record<string, FactValue>> = [
  { name: 'a', id: '1', status: 'completed', tags: 'baseline sweep:s1', sweep: 's1', lr: 0.1, optimizer: 'sgd', val_accuracy: 0.9, model: 'conv', nesterov: true },
  { name: 'b', id: '2', status: 'failed', tags: '', sweep: null, lr: 0.01, optimizer: 'adam', val_accuracy: 0.7, model: 'resnet8', nesterov: false },
  { name: 'c', id: '3', status: 'completed', tags: 'sweep:s1', sweep: 's1', lr: 0.03, optimizer: 'adamw', val_accuracy: null, model: 'conv', nesterov: false },
];
const names = (filter: string) => rows.filter(parseRunFilter(filter)).map((r) => r.name);

describe('run filters', () => {
  it('compare numbers, strings and booleans, with and / or / not and parentheses', () => {
    expect(names('val_accuracy >= 0.85')).toEqual(['a']);
    expect(names('lr < 0.05')).toEqual(['b', 'c']);
    expect(names('lr < 0.05 and status = completed')).toEqual(['c']);
    expect(names('lr < 0.05 status:completed')).toEqual(['c']); // `and` may be left out
    expect(names('optimizer = sgd or optimizer = adamw')).toEqual(['a', 'c']);
    expect(names('(optimizer = adam or optimizer = adamw) and not status:failed')).toEqual(['c']);
    expect(names('nesterov = true')).toEqual(['a']);
    expect(names('val_accuracy != 0.9')).toEqual(['b', 'c']); // no value counts as different
    expect(names('model ~ RES')).toEqual(['b']);
    expect(names('name = "b"')).toEqual(['b']);
  });

  it('know tags, sweeps, statuses and bare words', () => {
    expect(names('tag:baseline')).toEqual(['a']);
    expect(names('sweep:s1')).toEqual(['a', 'c']);
    expect(names('status:failed')).toEqual(['b']);
    expect(names('resnet')).toEqual(['b']);
    expect(names('')).toEqual(['a', 'b', 'c']);
  });

  it('name the part at fault', () => {
    const fails = (f: string, m: RegExp) => expect(() => parseRunFilter(f)).toThrow(m);
    fails('val_accuracy >=', /expected a value after ">=" at the end/);
    fails('accuracy > 0.5', /unknown column "accuracy" at column 1 \(columns: name, id/);
    fails('(lr < 0.1', /expected "\)" at the end to close the "\(" at column 1/);
    fails('lr < 0.1 )', /unexpected "\)" at column 10/);
    fails('tag:', /"tag:" at column 1 needs a value/);
    fails('name = "x', /the quote at column 8 is not closed/);
    expect(() => parseRunFilter('>= 3')).toThrow(RunQueryError);
  });
});

describe('run sorting', () => {
  it('sorts ascending or descending, runs without a value last', () => {
    const order = (s: string) => [...rows].sort(parseRunSort(s)).map((r) => r.name);
    expect(order('lr')).toEqual(['b', 'c', 'a']);
    expect(order('lr:desc')).toEqual(['a', 'c', 'b']);
    expect(order('-val_accuracy')).toEqual(['a', 'b', 'c']);
    expect(order('val_accuracy')).toEqual(['b', 'a', 'c']);
    expect(() => parseRunSort('speed')).toThrow(/unknown column "speed"/);
  });
});

describe('run facts', () => {
  const manifest = (over: Partial<RunManifest>): RunManifest => ({
    formatVersion: 1, id: '20261206-120000-abcdef', name: 'r', createdAt: '2026-12-06T12:00:00.000Z', updatedAt: '2026-12-06T12:00:10.000Z',
    status: 'completed', modelSpec: 'm', dataset: { id: 'builtin:fashion-mnist-mini', name: 'Fashion-MNIST mini' }, seed: 1, adapter: null, versions: {},
    summary: { bestValAccuracy: 0.8, valAccuracy: 0.75, bestEpoch: 2, steps: 30, imagesPerSecond: 100 }, notes: '', tags: ['x'], pid: null, host: null,
    heartbeatAt: '2026-12-06T12:00:10.000Z', endedAt: '2026-12-06T12:01:40.000Z',
    config: { model: 'conv(8,3) relu flatten linear(10)', backend: 'webgpu', sweep: { id: 'sw-20261206-120000-ab12', index: 0, params: {} },
      train: { lr: 0.05, batchSize: 64, epochs: 3, seed: 1, optimizer: { name: 'sgd', momentum: 0.9, weightDecay: 0, nesterov: false }, schedule: { kind: 'cosine', stepEpochs: 1, gamma: 0.1, minLr: 0, warmupSteps: 100 }, augment: { crop: 4, flip: true } } },
    ...over,
  });

  it('reads hyperparameters and metrics from the manifest under their column names', () => {
    expect(runFacts(manifest({}))).toMatchObject({
      lr: 0.05, batch: 64, epochs: 3, optimizer: 'sgd', momentum: 0.9, schedule: 'cosine+warmup:100', augment: 'crop:4,flip', sweep: 'sw-20261206-120000-ab12',
      best_val_accuracy: 0.8, val_accuracy: 0.75, best_epoch: 2, steps: 30, duration: 100, dataset: 'Fashion-MNIST mini', tags: 'x', backend: 'webgpu', label_smoothing: 0,
    });
  });

  it('lists the hyperparameters that differ between runs', () => {
    const a = runFacts(manifest({}));
    const b = runFacts(manifest({ config: { train: { lr: 0.1, batchSize: 64, epochs: 3, seed: 1, optimizer: { name: 'sgd', momentum: 0.9, weightDecay: 0, nesterov: false }, schedule: { kind: 'cosine', stepEpochs: 1, gamma: 0.1, minLr: 0, warmupSteps: 100 }, augment: { crop: 4, flip: true } }, model: 'conv(8,3) relu flatten linear(10)', backend: 'webgpu' } }));
    expect(differingFacts([a, b])).toEqual(['lr']);
  });
});
