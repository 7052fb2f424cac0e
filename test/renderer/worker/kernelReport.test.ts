// The Kernels panel's data: the worker matches the autotuner's problem keys to the model's conv
// layers with the engine's own key functions, and the view turns each row into what it shows.
import { describe, expect, it } from 'vitest';
import { forwardGemm, gradWeightGemm } from '../../../src/engine/conv/gemmPlan';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { presetSpec } from '../../../src/engine/model/presets';
import { Sequential } from '../../../src/engine/nn/sequential';
import type { TuneChoice } from '../../../src/engine/webgpu/autotune/autotuner';
import { gemmProblemKey } from '../../../src/engine/webgpu/autotune/gemmTuning';
import { convProblemKey } from '../../../src/engine/webgpu/ops/convAlgorithmsChoice';
import { kernelRowViews, whySummary } from '../../../src/renderer/src/components/train/kernelRows';
import { buildKernelReport, convLayersOf, KernelReporter } from '../../../src/renderer/src/worker/kernelReport';
import { parseFromWorker } from '../../../src/renderer/src/worker/protocol';

const model = new Sequential(presetSpec('reference'), new CpuBackend(), 1);
const layers = convLayersOf(model.layers, [32, 1, 28, 28]);
const [first, second] = layers;

const measured = (key: string, phase: string, choice: string, times: Record<string, number | null>): TuneChoice => ({
  key, phase, choice, reason: 'measured', candidates: Object.entries(times).map(([name, ms]) => ({ name, ms, ...(ms === null ? { rejected: 'wrong result (max error 3)' } : {}) })),
});

describe('convLayersOf', () => {
  it('finds the reference model\'s two convs with their shapes at the training batch', () => {
    expect(layers.map((l) => l.layer)).toEqual(['0.conv2d', '3.conv2d']);
    expect(first!.readsImages).toBe(true);
    expect(second!.readsImages).toBe(false);
    expect([second!.geometry.batch, second!.geometry.inChannels, second!.geometry.inHeight, second!.geometry.outChannels]).toEqual([32, 8, 14, 16]);
  });
});

describe('buildKernelReport', () => {
  const g = second!.geometry;
  const convKey = convProblemKey(g, 'forward');
  const choices: TuneChoice[] = [
    measured(convKey, 'forward', 'implicit', { im2col: 3.2, implicit: 1.1, direct: null }),
    measured(`tile:${convKey}`, 'forward tile', 'px4', { px4: 1.1, px1: 2.5 }),
    measured(gemmProblemKey(forwardGemm(g)), 'forward', 'wg16x16.tm4.tn4.s1', { 'wg16x16.tm4.tn4.s1': 1.9 }),
    { key: convProblemKey(g, 'grad-weight'), phase: 'grad-weight', choice: 'im2col (forced)', reason: 'heuristic', candidates: [] },
    { ...measured(gemmProblemKey(gradWeightGemm(g, false)), 'grad-weight', 'wg8x8.tm4.tn4.s2', {}), reason: 'cached' },
    // A validation batch of another size and a linear layer's GEMM belong to no training row.
    { key: convProblemKey({ ...g, batch: 256 }, 'forward'), phase: 'forward', choice: 'implicit', reason: 'heuristic', candidates: [] },
    { key: 'gemm:nt:32x10x784:b1x1:r1', phase: 'gemm', choice: 'wg8x8.tm2.tn4.s1', reason: 'heuristic', candidates: [] },
    // Stored for another model (or an older kernel revision): not this run's business.
    { ...measured('conv:forward:r2:n64:c3x32x32:o32:k3x3:s1x1:p1,1,1,1:d1x1:g1', 'forward', 'implicit', { implicit: 1 }), reason: 'cached' },
  ];
  const report = buildKernelReport(choices, layers, 'auto', 32, null);

  it('gives every conv layer three rows and leaves the rest of this run\'s choices in others', () => {
    expect(report.rows.map((r) => `${r.layer} ${r.phase}`)).toEqual([
      '0.conv2d forward', '0.conv2d grad-input', '0.conv2d grad-weight', '3.conv2d forward', '3.conv2d grad-input', '3.conv2d grad-weight',
    ]);
    expect(report.rows.find((r) => r.layer === '0.conv2d' && r.phase === 'grad-input')!.runs).toBe(false);
    const forward = report.rows.find((r) => r.layer === '3.conv2d' && r.phase === 'forward')!;
    expect([forward.algorithm?.choice, forward.tile?.choice, forward.gemm?.choice]).toEqual(['implicit', 'px4', 'wg16x16.tm4.tn4.s1']);
    expect(report.others.map((c) => c.phase)).toEqual(['forward', 'gemm']);
    expect(report.saveError).toBeUndefined();
  });

  it('is a message the UI accepts', () => {
    expect(parseFromWorker({ type: 'kernels', report }).type).toBe('kernels');
  });

  it('shows the algorithm, its tile, why, and the candidates\' times', () => {
    const views = kernelRowViews(report);
    const byId = new Map(views.map((v) => [v.id, v]));
    expect(byId.get('3.conv2d|forward')).toMatchObject({ algorithm: 'implicit', tile: 'px4', why: 'measured', note: null });
    expect(byId.get('3.conv2d|forward')!.candidates).toEqual([
      { name: 'im2col', text: '3.20 ms', chosen: false },
      { name: 'implicit', text: '1.10 ms', chosen: true },
      { name: 'direct', text: 'rejected', chosen: false, detail: 'wrong result (max error 3)' },
    ]);
    // A forced im2col runs the cached GEMM tile of its phase.
    expect(byId.get('3.conv2d|grad-weight')).toMatchObject({ algorithm: 'im2col', tile: 'GEMM wg8x8.tm4.tn4.s2', why: 'forced', candidates: [] });
    expect(byId.get('0.conv2d|grad-input')).toMatchObject({ runs: false, why: 'not run' });
    expect(byId.get('0.conv2d|forward')).toMatchObject({ algorithm: '—', why: 'heuristic' });
    // Rows the backend has not decided yet will get its heuristic when the step records them.
    expect(whySummary(views)).toBe('3 heuristic · 1 measured · 1 forced');
  });

  it('keeps the engine\'s remark on a forced algorithm that does not apply', () => {
    const forced = buildKernelReport(
      [{ key: convProblemKey(g, 'grad-input'), phase: 'grad-input', choice: 'implicit (forced direct does not apply)', reason: 'heuristic', candidates: [] }],
      [second!], 'direct', 32, 'QuotaExceededError',
    );
    expect(kernelRowViews(forced).find((v) => v.phase === 'grad-input')).toMatchObject({ algorithm: 'implicit', why: 'forced', note: 'forced direct does not apply', tile: 'default' });
    expect(forced.saveError).toBe('QuotaExceededError');
  });
});

describe('KernelReporter', () => {
  it('posts when the backend has made new choices, and only then', () => {
    const choices: TuneChoice[] = [];
    const posted: number[] = [];
    const reporter = new KernelReporter({ describeChoices: () => [...choices] }, layers, 'auto', 32, (r) => posted.push(r.rows.length + r.others.length));
    reporter.update();
    reporter.update();
    choices.push({ key: 'gemm:nt:32x10x784:b1x1:r1', phase: 'gemm', choice: 'wg8x8.tm2.tn4.s1', reason: 'heuristic', candidates: [] });
    reporter.update();
    expect(posted).toEqual([6, 7]);
    // Tuning on the training steps measures a problem that had a heuristic choice: same key.
    choices[0] = { ...choices[0]!, choice: 'wg16x4.tm4.tn4.s1', reason: 'measured', candidates: [{ name: 'wg16x4.tm4.tn4.s1', ms: 1 }] };
    reporter.update();
    reporter.update();
    expect(posted).toEqual([6, 7, 7]);
  });
});
