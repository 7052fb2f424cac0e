// The live chart series fed by the worker's step/epoch messages: typed arrays, per-parameter grad
// norms, kernel times grouped by layer and phase (mean per step) and the per-phase trend.
import { describe, expect, it } from 'vitest';
import type { StepMetrics } from '../../../src/engine/train/types';
import { Growable, LiveSeries, percentOf } from '../../../src/renderer/src/components/train/liveSeries';
import { storedCurves } from '../../../src/renderer/src/components/train/storedCurves';
import type { MetricsRecord } from '../../../src/shared/runFormat';

function step(n: number, kernelTimes?: Record<string, number>): StepMetrics {
  return {
    kind: 'step', step: n, epoch: 0, loss: 3 - n, accuracy: n / 10, lr: 0.01, imagesPerSecond: 100 * n,
    gradNorms: { '0.weight': n, '0.bias': n / 10 }, kernelTimes, timing: kernelTimes ? 'timestamp' : 'coarse', elapsed: n / 2,
  };
}

describe('Growable', () => {
  it('grows past its first capacity and views only the filled part', () => {
    const g = new Growable();
    for (let i = 0; i < 1000; i++) g.push(i);
    expect(g.length).toBe(1000);
    expect(g.view().length).toBe(1000);
    expect(g.view()[999]).toBe(999);
    expect(g.last()).toBe(999);
  });
});

describe('LiveSeries', () => {
  it('keeps steps, losses and per-parameter grad norms aligned', () => {
    const s = new LiveSeries();
    s.addStep(step(1));
    s.addStep(step(2));
    expect([...s.step.view()]).toEqual([1, 2]);
    expect([...s.loss.view()]).toEqual([2, 1]);
    expect([...s.gradNorms.get('0.bias')!.view()]).toEqual([0.1, 0.2]);
    expect(s.timing).toBe('coarse');
  });

  it('groups kernel times by layer and phase as a mean per step, in model order', () => {
    const s = new LiveSeries();
    s.addStep(step(1, { '1.conv2d|forward|gemm': 2, '1.conv2d|forward|im2col': 1, '0.conv2d|grad-weight|gemm': 4, 'data|data|gather': 1 }));
    s.addStep(step(2, { '1.conv2d|forward|gemm': 4, '0.conv2d|grad-weight|gemm': 2, 'optimizer|optimizer|sgd': 1 }));
    const { layers, stacks } = s.meanByLayerAndPhase();
    expect(layers).toEqual(['data', '0.conv2d', '1.conv2d', 'optimizer']);
    const forward = stacks.find((x) => x.name === 'forward')!;
    expect(forward.values).toEqual([null, null, (2 + 1 + 4) / 2, null]);
    expect(stacks.find((x) => x.name === 'grad-weight')!.values).toEqual([null, 3, null, null]);
    // Trend: one value per timed step for every phase seen, 0 where a phase had no kernel.
    expect([...s.kernelStep.view()]).toEqual([1, 2]);
    expect([...s.phaseTrend.get('forward')!.view()]).toEqual([3, 4]);
    expect([...s.phaseTrend.get('data')!.view()]).toEqual([1, 0]);
    expect([...s.phaseTrend.get('optimizer')!.view()]).toEqual([0, 1]);
  });

  it('adds the validation of a run that ended mid-epoch once', () => {
    const s = new LiveSeries();
    s.addEpoch({ kind: 'epoch', epoch: 1, step: 10, trainLoss: 1, trainAccuracy: 0.5, valLoss: 0.9, valAccuracy: 0.6, seconds: 1 });
    s.addFinalValidation(10, 0.9, 0.6);
    s.addFinalValidation(14, 0.8, 0.7);
    s.addFinalValidation(15, NaN, NaN);
    expect([...s.epochStep.view()]).toEqual([10, 14]);
    expect([...s.valAccuracy.view()]).toEqual([0.6, 0.7]);
  });

  it('keeps the best validation, not the last: higher accuracy, a tie to the lower loss', () => {
    const s = new LiveSeries();
    const epoch = (e: number, valAccuracy: number, valLoss: number) => ({ kind: 'epoch' as const, epoch: e, step: 10 * e, trainLoss: 1, trainAccuracy: 0.5, valLoss, valAccuracy, seconds: e });
    s.addEpoch(epoch(1, 0.8, 0.5));
    s.addEpoch(epoch(2, 0.969, 0.3));
    s.addEpoch(epoch(3, 0.906, 0.25));
    s.addEpoch(epoch(4, 0.969, 0.2));
    expect(s.best).toEqual({ accuracy: 0.969, loss: 0.2, epoch: 4, step: 40 });
    s.addFinalValidation(45, 0.1, 0.99, 5);
    expect(s.best).toMatchObject({ accuracy: 0.99, epoch: 5, step: 45 });
  });

  it('gives validation points their time since the start through the step they sit at', () => {
    const s = new LiveSeries();
    for (const n of [1, 2, 3, 4]) s.addStep(step(n), 1000 * n);
    expect([...s.timeAt(Float64Array.from([2, 4]))]).toEqual([1, 2]);
    expect([...s.timeAt(Float64Array.from([4]), true)]).toEqual([4000]);
    expect(s.timeAt(Float64Array.from([9]))[0]).toBeNaN();
    expect([...percentOf([0.5, 0.25])]).toEqual([50, 25]);
  });
});

describe('storedCurves', () => {
  it('keeps the newest record of a step, in order, and continues the seconds of a resumed session', () => {
    const rec = (stepNo: number, elapsed: number, loss: number): MetricsRecord =>
      ({ kind: 'step', step: stepNo, epoch: 0, loss, accuracy: 0, lr: 0.1, imagesPerSecond: 1, gradNorms: {}, timing: 'coarse', elapsed, time: 1.7e12 + stepNo }) as MetricsRecord;
    const records = [rec(1, 1, 9), rec(2, 2, 9), rec(3, 3, 9), { kind: 'event', message: 'resumed' } as MetricsRecord, rec(3, 0.5, 1), rec(4, 1.5, 1)];
    const { steps } = storedCurves(records);
    expect(steps.map((m) => m.step)).toEqual([1, 2, 3, 4]);
    expect(steps.map((m) => m.loss)).toEqual([9, 9, 1, 1]);
    expect(steps.map((m) => m.elapsed)).toEqual([1, 2, 2, 3]);
    expect(steps[0]!.wall).toBe(1.7e12 + 1);
  });

  it('reads runs from before `elapsed`, which stored seconds in `time`', () => {
    const { steps } = storedCurves([{ kind: 'step', step: 1, time: 4.5, loss: 1 } as MetricsRecord]);
    expect(steps[0]).toMatchObject({ elapsed: 4.5, wall: NaN });
  });
});
