// The worker protocol's pure parts: what each side accepts from the other, and which buffers move.
import { describe, expect, it } from 'vitest';
import { presetSpec } from '../../../src/engine/model/presets';
import { MODEL_PRESETS } from '../../../src/engine/model/presets';
import { DEFAULT_OPTIMIZER } from '../../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../../src/engine/optim/schedule';
import type { TrainConfig } from '../../../src/engine/train/types';
import { ProtocolError, parseFromWorker, parseToWorker, transferablesOf, type ToWorker, type WorkerTrainData } from '../../../src/renderer/src/worker/protocol';

function data(n = 8): WorkerTrainData {
  return {
    id: 'ds-20261206-120000-abcd', name: 'tiny', classes: ['a', 'b'],
    images: new Uint8Array(n * 4 * 4),
    labels: Uint8Array.from({ length: n }, (_, i) => i % 2),
    trainIndices: Uint32Array.from({ length: n - 2 }, (_, i) => i),
    valIndices: Uint32Array.of(n - 2, n - 1),
    channels: 1, height: 4, width: 4, mean: [0.5], std: [0.25],
  };
}

const config: TrainConfig = {
  spec: presetSpec(MODEL_PRESETS[0]!.id),
  epochs: 2, batchSize: 4, lr: 0.01, optimizer: { ...DEFAULT_OPTIMIZER }, schedule: { ...DEFAULT_SCHEDULE }, seed: 1, shuffle: true,
};

describe('UI → worker', () => {
  it('accepts a well-formed start and the control messages', () => {
    expect(parseToWorker({ type: 'start', config, data: data() }).type).toBe('start');
    for (const type of ['pause', 'resume', 'stop', 'selfTest', 'workedExample'] as const) expect(parseToWorker({ type })).toEqual({ type });
  });

  it('accepts a startFetching (browser mode: the worker fetches the dataset) only with a socket URL and a dataset id', () => {
    const source = { labSocketUrl: 'ws://127.0.0.1:5173/lab?token=abc', datasetId: 'builtin:fashion-mnist-mini' };
    expect(parseToWorker({ type: 'startFetching', config, source })).toEqual({ type: 'startFetching', config, source });
    expect(() => parseToWorker({ type: 'startFetching', config, source: { ...source, labSocketUrl: 'file:///etc/passwd' } })).toThrow(/labSocketUrl/);
    expect(() => parseToWorker({ type: 'startFetching', config, source: { ...source, datasetId: '' } })).toThrow(/datasetId/);
    expect(() => parseToWorker({ type: 'startFetching', config, source, data: data() })).toThrow(ProtocolError);
  });

  it('refuses unknown types, extra fields and bad hyperparameters with a message naming the field', () => {
    expect(() => parseToWorker({ type: 'explode' })).toThrow(ProtocolError);
    expect(() => parseToWorker({ type: 'pause', now: true })).toThrow(/now/);
    expect(() => parseToWorker({ type: 'start', config: { ...config, lr: -1 }, data: data() })).toThrow(/config\.lr/);
    expect(() => parseToWorker({ type: 'start', config: { ...config, optimizer: { ...config.optimizer, name: 'lion' } }, data: data() })).toThrow(/optimizer\.name/);
    expect(() => parseToWorker({ type: 'start', config: { ...config, batchSize: 2.5 }, data: data() })).toThrow(/batchSize/);
  });

  it('carries the conv algorithm on start and startFetching: auto or one of the three, absent meaning auto', () => {
    const source = { labSocketUrl: 'ws://127.0.0.1:5173/lab?token=abc', datasetId: 'builtin:fashion-mnist-mini' };
    for (const convAlgorithm of ['auto', 'im2col', 'implicit', 'direct'] as const) {
      expect(parseToWorker({ type: 'start', config, data: data(), convAlgorithm })).toMatchObject({ convAlgorithm });
      expect(parseToWorker({ type: 'startFetching', config, source, convAlgorithm })).toMatchObject({ convAlgorithm });
    }
    expect(parseToWorker({ type: 'start', config, data: data() })).not.toHaveProperty('convAlgorithm');
    expect(() => parseToWorker({ type: 'start', config, data: data(), convAlgorithm: 'winograd' })).toThrow(/convAlgorithm/);
    expect(() => parseToWorker({ type: 'startFetching', config, source, convAlgorithm: 3 })).toThrow(/convAlgorithm/);
    // It belongs to the message, not to the training config (which the engine and the run record share).
    expect(() => parseToWorker({ type: 'start', config: { ...config, convAlgorithm: 'im2col' }, data: data() })).toThrow(/convAlgorithm/);
  });

  it('checks the dataset arrays against each other before any GPU work', () => {
    expect(() => parseToWorker({ type: 'start', config, data: { ...data(), images: new Uint8Array(3) } })).toThrow(/images has 3 bytes/);
    expect(() => parseToWorker({ type: 'start', config, data: { ...data(), trainIndices: Uint32Array.of(0, 99) } })).toThrow(/index 99 is out of range/);
    expect(() => parseToWorker({ type: 'start', config, data: { ...data(), labels: Uint8Array.of(0, 1, 0, 1, 0, 1, 0, 7) } })).toThrow(/label 7/);
    expect(() => parseToWorker({ type: 'start', config, data: { ...data(), trainIndices: new Uint32Array(0) } })).toThrow(/training split is empty/);
    expect(() => parseToWorker({ type: 'start', config, data: { ...data(), mean: [0.1, 0.2] } })).toThrow(/one value per channel/);
    // Plain arrays are not accepted where typed arrays travel (they would be copied, not moved).
    expect(() => parseToWorker({ type: 'start', config, data: { ...data(), labels: [0, 1] } })).toThrow(ProtocolError);
    expect(() => parseToWorker({ type: 'start', config, data: { ...data(), classes: ['a', ''] } })).toThrow(/classes/);
  });

  it('carries a run name, a run to resume and early stopping; answers to lab calls', () => {
    expect(parseToWorker({ type: 'start', config: { ...config, earlyStop: 3 }, data: data(), name: 'mine', resume: '20261206-120000-abc123' })).toMatchObject({ name: 'mine', resume: '20261206-120000-abc123' });
    expect(() => parseToWorker({ type: 'start', config, data: data(), resume: '../etc' })).toThrow(/resume/);
    expect(() => parseToWorker({ type: 'start', config: { ...config, earlyStop: 0 }, data: data() })).toThrow(/earlyStop/);
    expect(parseToWorker({ type: 'labReply', id: 3, ok: true, result: { id: 'x' } })).toMatchObject({ type: 'labReply', id: 3 });
    expect(() => parseToWorker({ type: 'labReply', id: 0, ok: true })).toThrow(/id/);
  });
});

describe('worker → UI', () => {
  const step = {
    kind: 'step', step: 1, epoch: 0, loss: 2.3, accuracy: 0.1, lr: 0.01, imagesPerSecond: 100,
    gradNorms: { '0.weight': 0.5 }, kernelTimes: { '0.conv2d|forward|gemm': 0.02 }, timing: 'timestamp', elapsed: 0.1,
  };

  it('accepts step batches, including the NaN and Infinity of a diverging run', () => {
    const m = parseFromWorker({ type: 'steps', metrics: [step, { ...step, step: 2, loss: NaN, gradNorms: { '0.weight': Infinity } }] });
    expect(m.type === 'steps' && m.metrics.length).toBe(2);
  });

  it('refuses malformed metrics, unknown error kinds, checkpoints without a name and unknown lab calls', () => {
    expect(() => parseFromWorker({ type: 'steps', metrics: [] })).toThrow(ProtocolError);
    expect(() => parseFromWorker({ type: 'steps', metrics: [{ ...step, timing: 'guess' }] })).toThrow(/timing/);
    expect(() => parseFromWorker({ type: 'error', kind: 'oops', message: 'x', job: 'train' })).toThrow(/kind/);
    expect(() => parseFromWorker({ type: 'error', kind: 'busy', message: 'x' })).toThrow(/job/);
    expect(parseFromWorker({ type: 'error', kind: 'busy', message: 'x', job: 'selfTest' })).toMatchObject({ job: 'selfTest' });
    expect(() => parseFromWorker({ type: 'checkpoint', name: '' })).toThrow(/name/);
    expect(parseFromWorker({ type: 'checkpoint', name: 'best' })).toEqual({ type: 'checkpoint', name: 'best' });
    expect(parseFromWorker({ type: 'lab', id: 1, method: 'runs.create', args: [{}] }).type).toBe('lab');
    expect(() => parseFromWorker({ type: 'lab', id: 1, method: 'shell.exec', args: [] })).toThrow(/method/);
  });

  it('accepts the tuning state and kernel reports, and refuses malformed choices', () => {
    expect(parseFromWorker({ type: 'state', state: 'tuning' })).toEqual({ type: 'state', state: 'tuning' });
    expect(() => parseFromWorker({ type: 'state', state: 'benchmarking' })).toThrow(/state/);
    const choice = { key: 'conv:forward:r3:n32:c1x28x28:o8:k3x3:s1x1:p1,1,1,1:d1x1:g1', phase: 'forward', choice: 'implicit', reason: 'measured', candidates: [{ name: 'im2col', ms: 2.5 }, { name: 'direct', ms: null, rejected: 'wrong result' }] };
    const row = { layer: '0.conv2d', phase: 'forward', runs: true, algorithm: choice, tile: null, gemm: null };
    const report = { requested: 'auto', batch: 32, rows: [row], others: [{ ...choice, key: 'gemm:nt:32x10x784:b1x1:r1', reason: 'heuristic', candidates: [] }] };
    expect(parseFromWorker({ type: 'kernels', report })).toEqual({ type: 'kernels', report });
    expect(parseFromWorker({ type: 'kernels', report: { ...report, saveError: 'QuotaExceededError' } }).type).toBe('kernels');
    expect(() => parseFromWorker({ type: 'kernels', report: { ...report, requested: 'fastest' } })).toThrow(/requested/);
    expect(() => parseFromWorker({ type: 'kernels', report: { ...report, rows: [{ ...row, phase: 'grad-bias' }] } })).toThrow(/phase/);
    expect(() => parseFromWorker({ type: 'kernels', report: { ...report, rows: [{ ...row, algorithm: { ...choice, reason: 'guessed' } }] } })).toThrow(/reason/);
    expect(() => parseFromWorker({ type: 'kernels', report: { ...report, rows: [{ ...row, algorithm: { ...choice, candidates: [{ name: 'a', ms: '1 ms' }] } }] } })).toThrow(/ms/);
  });

  it('accepts adapter, done and self-test messages', () => {
    expect(parseFromWorker({ type: 'adapter', adapter: { vendor: 'google', architecture: 'swiftshader', description: '', isSoftware: true, timestamps: false } }).type).toBe('adapter');
    expect(parseFromWorker({ type: 'done', runId: '20261206-120000-abc123', summary: { status: 'stopped', epochs: 0, steps: 3, trainLoss: 2, valLoss: NaN, valAccuracy: NaN, imagesPerSecond: 10 } }).type).toBe('done');
    expect(() => parseFromWorker({ type: 'done', summary: { status: 'stopped', epochs: 0, steps: 3, trainLoss: 2, valLoss: NaN, valAccuracy: NaN, imagesPerSecond: 10 } })).toThrow(/runId/);
    expect(parseFromWorker({ type: 'selfTestCase', index: 0, total: 2, row: { file: 'a.json', name: 'c', op: 'conv2d', pass: true, worstAbsError: 1e-7, detail: '' } }).type).toBe('selfTestCase');
    expect(parseFromWorker({ type: 'selfTestDone', passed: 1, failed: 1 })).toEqual({ type: 'selfTestDone', passed: 1, failed: 1 });
  });
});

describe('transfer lists', () => {
  it('moves the dataset buffers on start, once each', () => {
    const d = data();
    const shared = new ArrayBuffer(64);
    const start: ToWorker = { type: 'start', config, data: { ...d, trainIndices: new Uint32Array(shared, 0, 4), valIndices: new Uint32Array(shared, 16, 2) } };
    const list = transferablesOf(start);
    expect(list).toHaveLength(3);
    expect(list).toContain(d.images.buffer);
    expect(list).toContain(shared);
  });

  it('moves nothing for small messages, nor for lab calls (a checkpoint is saved under several names)', () => {
    expect(transferablesOf({ type: 'lab', id: 1, method: 'runs.saveCheckpoint', args: ['x', 'last', [{ name: 'w', shape: [1], data: new Uint8Array(4) }]] })).toEqual([]);
    expect(transferablesOf({ type: 'pause' })).toEqual([]);
    expect(transferablesOf({ type: 'selfTestDone', passed: 1, failed: 0 })).toEqual([]);
  });
});
