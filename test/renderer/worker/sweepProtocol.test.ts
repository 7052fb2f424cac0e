// The sweep job's messages: what the worker accepts to start a sweep, what the UI accepts back,
// which buffers move, and the worker's own check of each run's training config.
import { describe, expect, it } from 'vitest';
import { presetSpec } from '../../../src/engine/model/presets';
import { DEFAULT_OPTIMIZER } from '../../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../../src/engine/optim/schedule';
import type { TrainConfig } from '../../../src/engine/train/types';
import { checkTrainConfig, parseFromWorker, parseToWorker, ProtocolError, transferablesOf, type WorkerTrainData } from '../../../src/renderer/src/worker/protocol';

const SWEEP = 'sw-20261206-120000-ab12';
const RUN = '20261206-120001-abcdef';
const source = { labSocketUrl: 'ws://127.0.0.1:5173/lab?token=abc', datasetId: 'builtin:fashion-mnist-mini' };

function data(n = 6): WorkerTrainData {
  return {
    id: 'ds-20261206-120000-abcd', name: 'tiny', classes: ['a', 'b'], images: new Uint8Array(n * 16), labels: Uint8Array.from({ length: n }, (_, i) => i % 2),
    trainIndices: Uint32Array.of(0, 1, 2, 3), valIndices: Uint32Array.of(4, 5), channels: 1, height: 4, width: 4, mean: [0.5], std: [0.25],
  };
}

describe('sweep: UI → worker', () => {
  it('takes a sweep id with the dataset or where to fetch it, never both or neither', () => {
    expect(parseToWorker({ type: 'sweep', sweepId: SWEEP, source })).toEqual({ type: 'sweep', sweepId: SWEEP, source });
    expect(parseToWorker({ type: 'sweep', sweepId: SWEEP, maxRuns: 2, data: data() }).type).toBe('sweep');
    expect(() => parseToWorker({ type: 'sweep', sweepId: SWEEP })).toThrow(/data.*source|not both/);
    expect(() => parseToWorker({ type: 'sweep', sweepId: SWEEP, source, data: data() })).toThrow(/not both/);
    expect(() => parseToWorker({ type: 'sweep', sweepId: '../runs', source })).toThrow(/sweepId: must be a sweep id/);
    expect(() => parseToWorker({ type: 'sweep', sweepId: SWEEP, source, maxRuns: 0 })).toThrow(/maxRuns/);
    // The dataset is checked as a start message's is.
    expect(() => parseToWorker({ type: 'sweep', sweepId: SWEEP, data: { ...data(), labels: Uint8Array.of(0, 1, 2, 0, 1, 0) } })).toThrow(/label 2 of image 2/);
  });

  it('moves the dataset’s buffers instead of copying them', () => {
    const d = data();
    expect(transferablesOf({ type: 'sweep', sweepId: SWEEP, data: d })).toEqual([d.images.buffer, d.labels.buffer, d.trainIndices.buffer, d.valIndices.buffer]);
    expect(transferablesOf({ type: 'sweep', sweepId: SWEEP, source })).toEqual([]);
  });

  it('checks each run’s config with the start message’s rules, naming the run', () => {
    const config: TrainConfig = {
      spec: presetSpec('reference'), epochs: 1, batchSize: 8, lr: 0.1, optimizer: { ...DEFAULT_OPTIMIZER }, schedule: { ...DEFAULT_SCHEDULE }, seed: 1, shuffle: true,
    };
    expect(() => checkTrainConfig(config, 'run 1')).not.toThrow();
    expect(() => checkTrainConfig({ ...config, lr: 50 }, 'run 3 of the sweep (lr=50)')).toThrow(/^run 3 of the sweep \(lr=50\): lr: /);
    expect(() => checkTrainConfig({ ...config, batchSize: 0 }, 'run 2')).toThrow(ProtocolError);
  });
});

describe('sweep: worker → UI', () => {
  it('accepts the run, progress, end and done messages; NaN where a run has no number', () => {
    const messages = [
      { type: 'sweepRun', index: 2, total: 6, params: { lr: 0.03, batch: 64, optimizer: 'adam', nesterov: false }, resumed: true },
      { type: 'sweepProgress', index: 2, runId: RUN, step: 3, totalSteps: 10, epoch: 0, loss: NaN, state: 'running' },
      { type: 'sweepRunEnd', index: 2, runId: RUN, status: 'diverged', valAccuracy: NaN },
      { type: 'sweepRunEnd', index: 3, runId: '', status: 'failed', valAccuracy: NaN, error: 'out of memory' },
      { type: 'sweepDone', finished: false, stopped: true, runs: [{ index: 0, runId: RUN, status: 'completed' }, { index: 1, runId: null, status: 'pending' }] },
      { type: 'error', kind: 'training', message: 'x', job: 'sweep' },
    ];
    for (const m of messages) expect(parseFromWorker(m)).toEqual(m);
  });

  it('refuses malformed ones, naming the field', () => {
    expect(() => parseFromWorker({ type: 'sweepRun', index: -1, total: 6, params: {}, resumed: false })).toThrow(/index/);
    expect(() => parseFromWorker({ type: 'sweepProgress', index: 0, runId: 'x', step: 0, totalSteps: 0, epoch: 0, loss: 1, state: 'running' })).toThrow(/runId/);
    expect(() => parseFromWorker({ type: 'sweepRun', index: 0, total: 6, params: { lr: [1] }, resumed: false })).toThrow(/params/);
    expect(() => parseFromWorker({ type: 'sweepDone', finished: true, stopped: false, runs: [{ index: 0, runId: '../x', status: 'completed' }] })).toThrow(/runs/);
  });
});
