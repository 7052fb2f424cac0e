// The run page's pure rules: a metrics log as series (resumed steps, percent, kernel times), the
// status told from what the run recorded, the confusion-matrix helpers behind the evaluation
// panel, config rows, the export download URL, and dataset pixels as PNG for images.prepare.
import { decode as decodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { cellHeat, cellSamples, confusedPairs, rowNormalised, sortPerClass } from '../../src/renderer/src/components/evaluation/confusion';
import { pngOfPixels } from '../../src/renderer/src/components/predict/pngOfPixels';
import { attachmentName, exportDownloadUrl } from '../../src/renderer/src/components/runs/browserDownload';
import { configRows } from '../../src/renderer/src/components/runs/runConfigRows';
import { latestBy, runSeries } from '../../src/renderer/src/components/runs/runSeries';
import { describeRunStatus } from '../../src/renderer/src/components/runs/runStatus';
import type { MetricsRecord, RunManifest } from '../../src/shared/runFormat';

const step = (n: number, loss: number, extra: Record<string, unknown> = {}): MetricsRecord =>
  ({ kind: 'step', step: n, epoch: 0, loss, accuracy: 0.5, lr: 0.1, gradNorms: { '0.weight': n, '0.bias': n / 2 }, ...extra }) as MetricsRecord;

describe('runSeries', () => {
  it('keeps the later record of a step logged twice (a resumed run), sorted by step', () => {
    const log = [step(1, 3), step(2, 2), step(3, 9), step(3, 1), step(2, 1.5)];
    expect(latestBy(log, 'step').map((r) => [r.step, r.loss])).toEqual([[1, 3], [2, 1.5], [3, 1]]);
    const s = runSeries(log);
    expect([...s.loss[0]!.x]).toEqual([1, 2, 3]);
    expect([...s.loss[0]!.y]).toEqual([3, 1.5, 1]);
  });

  it('puts validation at the step its epoch ended, accuracy in percent, one grad-norm line per parameter', () => {
    const log = [step(1, 2), step(2, 1), { kind: 'epoch', epoch: 1, step: 2, trainLoss: 1.4, trainAccuracy: 0.6, valLoss: 1.1, valAccuracy: 0.75 } as MetricsRecord];
    const s = runSeries(log);
    const val = s.accuracy.find((l) => l.name === 'validation accuracy')!;
    expect([...val.x, ...val.y]).toEqual([2, 75]);
    expect(val.dashed).toBe(true);
    expect([...s.accuracy[0]!.y]).toEqual([50, 50]);
    expect(s.gradNorms.map((g) => [g.name, g.dashed])).toEqual([['0.weight', false], ['0.bias', true]]);
    expect([...s.lr[0]!.y]).toEqual([0.1, 0.1]);
    expect([s.steps, s.epochs]).toEqual([2, 1]);
  });

  it('sums kernels per layer and phase: bars are the mean over timed steps, phases in step order', () => {
    const k = (fwd: number, gw: number) => ({ kernelTimes: { '0.conv2d|forward|im2col': fwd, '0.conv2d|forward|gemm': 1, '0.conv2d|grad-weight|gemm': gw, '3.linear|forward|gemm': 0.5 }, timing: 'timestamp' });
    const s = runSeries([step(1, 1, k(1, 2)), step(2, 1), step(3, 1, k(3, 4))]);
    expect(s.kernelBars.layers).toEqual(['0.conv2d', '3.linear']);
    expect(s.kernelBars.stacks.map((b) => b.name)).toEqual(['forward', 'grad-weight']);
    expect(s.kernelBars.stacks[0]!.values).toEqual([3, 0.5]); // ((1+1) + (3+1)) / 2
    expect(s.kernelBars.stacks[1]!.values).toEqual([3, null]);
    expect([...s.kernelTrend[0]!.x]).toEqual([1, 3]);
    expect([...s.kernelTrend[0]!.y]).toEqual([2.5, 4.5]);
    expect(s.timing).toBe('timestamp');
    expect(runSeries([step(1, 1)]).timing).toBeNull();
  });
});

function manifest(status: RunManifest['status'], summary: Record<string, unknown>): RunManifest {
  return {
    formatVersion: 1, id: '20261126-173700-ab12cd', name: 'r', createdAt: '2026-11-26T17:37:00.000Z', updatedAt: '2026-11-26T17:38:00.000Z',
    status, config: {}, modelSpec: 'linear(2)', dataset: { id: 'd' }, seed: 1, adapter: null, versions: {}, summary, notes: '', tags: [],
    pid: null, host: null, heartbeatAt: null, endedAt: null,
  };
}

describe('describeRunStatus', () => {
  it('tells an early stop, the best epoch and its checkpoint', () => {
    const s = describeRunStatus(manifest('completed', { epochs: 4, steps: 40, stopReason: 'early stop: no better validation accuracy for 2 epochs', bestValAccuracy: 0.969, bestEpoch: 2, bestCheckpoint: 'best' }), []);
    expect(s).toMatchObject({ tone: 'ok', title: 'Completed early: early stop: no better validation accuracy for 2 epochs', resumable: false });
    expect(s.details).toEqual(['Trained 4 epochs, 40 steps.', 'Best validation accuracy 96.9 % at epoch 2 (checkpoint best).']);
  });

  it('gives the divergence and the error as recorded, and the interruption reason from the log', () => {
    expect(describeRunStatus(manifest('diverged', { divergence: 'loss became NaN at step 7' }), []).details[0]).toBe('loss became NaN at step 7');
    expect(describeRunStatus(manifest('failed', { error: 'GPU device lost' }), [])).toMatchObject({ tone: 'error', details: ['GPU device lost'] });
    const log = [{ kind: 'event', message: 'interrupted: the page that trained it was closed or reloaded' } as MetricsRecord];
    const s = describeRunStatus(manifest('interrupted', { epoch: 1, step: 12 }), log);
    expect(s).toMatchObject({ tone: 'warn', title: 'Interrupted after 1 epoch, 12 steps', resumable: true });
    expect(s.details[0]).toBe('Why: the page that trained it was closed or reloaded.');
    expect(describeRunStatus(manifest('stopped', {}), []).details[0]).toMatch(/stopped by hand/);
  });
});

describe('confusion helpers', () => {
  const confusion = [
    [5, 2, 0],
    [1, 3, 4],
    [0, 0, 0],
  ];

  it('normalises rows (an empty row stays zero) and ranks the confused pairs', () => {
    expect(rowNormalised(confusion)[0]).toEqual([5 / 7, 2 / 7, 0]);
    expect(rowNormalised(confusion)[2]).toEqual([0, 0, 0]);
    expect(confusedPairs(confusion)).toEqual([
      { truth: 1, predicted: 2, count: 4, share: 0.5 },
      { truth: 0, predicted: 1, count: 2, share: 2 / 7 },
      { truth: 1, predicted: 0, count: 1, share: 1 / 8 },
    ]);
    expect(cellHeat(confusion, false)[0]![0]).toBe(1);
    expect(cellHeat(confusion, true)[1]![2]).toBe(0.5);
  });

  it('lists exactly the images of a cell: mistakes most confident first, the diagonal least confident first', () => {
    const samples = { index: [10, 11, 12, 13, 14], label: [0, 0, 1, 0, 0], predicted: [1, 1, 1, 0, 0], confidence: [0.6, 0.9, 0.8, 0.7, 0.55] };
    expect(cellSamples({ samples }, 0, 1).map((s) => s.index)).toEqual([11, 10]);
    expect(cellSamples({ samples }, 0, 0).map((s) => s.index)).toEqual([14, 13]);
    expect(cellSamples({ samples }, 1, 0)).toEqual([]);
  });

  it('sorts the per-class table by any column, stably', () => {
    const rows = [
      { class: 'b', precision: 0.5, recall: 1, f1: 0.6, support: 3 },
      { class: 'a', precision: 0.9, recall: 0.5, f1: 0.6, support: 3 },
      { class: 'c', precision: 0.1, recall: 0.2, f1: 0.1, support: 9 },
    ];
    expect(sortPerClass(rows, 'class', false).map((r) => r.class)).toEqual(['a', 'b', 'c']);
    expect(sortPerClass(rows, 'precision', true).map((r) => r.class)).toEqual(['a', 'b', 'c']);
    expect(sortPerClass(rows, 'f1', true).map((r) => r.class)).toEqual(['b', 'a', 'c']);
    expect(sortPerClass(rows, 'support', false).map((r) => r.class)).toEqual(['b', 'a', 'c']);
  });
});

describe('config rows, download URL, PNG of pixels', () => {
  it('flattens a config into dotted paths, skipping the keys asked', () => {
    expect(configRows({ lr: 0.1, optimizer: { name: 'sgd', momentum: 0.9 }, spec: { big: 1 }, input: [1, 28, 28] }, ['spec'])).toEqual([
      { path: 'lr', value: '0.1' },
      { path: 'optimizer.name', value: 'sgd' },
      { path: 'optimizer.momentum', value: '0.9' },
      { path: 'input', value: '[1,28,28]' },
    ]);
  });

  it('builds the export route URL with only the parameters that apply', () => {
    expect(exportDownloadUrl('t0k', '20261126-173700-ab12cd', { format: 'safetensors', checkpoint: 'epoch-2', kind: 'all' })).toBe(
      '/api/export?token=t0k&run=20261126-173700-ab12cd&format=safetensors&checkpoint=epoch-2',
    );
    expect(exportDownloadUrl('t', 'r', { format: 'csv', checkpoint: 'best', kind: 'all' })).toBe('/api/export?token=t&run=r&format=csv&kind=all');
    expect(attachmentName('attachment; filename="run.best.onnx"', 'x')).toBe('run.best.onnx');
    expect(attachmentName(null, 'fallback.csv')).toBe('fallback.csv');
  });

  it('writes planar pixels as a PNG of the same channels', () => {
    const chw = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => i * 10);
    const png = decodePng(pngOfPixels(chw, 3, 2, 3));
    expect([png.width, png.height, png.channels]).toEqual([3, 2, 3]);
    expect([...png.data.slice(0, 3)]).toEqual([chw[0], chw[6], chw[12]]); // pixel 0: R, G, B planes
    const grey = decodePng(pngOfPixels(Uint8Array.of(1, 2, 3, 4), 1, 2, 2));
    expect([grey.channels, ...grey.data]).toEqual([1, 1, 2, 3, 4]);
    expect(() => pngOfPixels(Uint8Array.of(1), 1, 2, 2)).toThrow(/expected 1×2×2/);
  });
});
