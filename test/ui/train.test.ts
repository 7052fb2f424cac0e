// Flow (c): train the reference model for a handful of steps on the built-in dataset, see every live
// chart receive numbers and the progress bar move, and let the run finish. While it trains, the
// main thread's long tasks are recorded (a PerformanceObserver installed before the app's first
// script) and written to test-artifacts/ui/responsiveness.json. Nothing about timing is asserted:
// numbers are measured and reported, not tested (DESIGN.md).
//
// The first run also tunes the conv kernels for this adapter on its first steps (the Train view
// says which it is timing) and the Kernels panel names each conv layer's algorithm per phase and
// why; the second test checks that the choices outlive the page (IndexedDB), that a damaged cache
// only means tuning again, and that a forced algorithm is obeyed and said to be forced. Runs that
// must leave tuned choices behind train long enough for the step tuner to decide every race.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelRows, readAutotuneRecord, sawTuning, watchForTuning, writeAutotuneRecord } from './kernelPanel';
import { ARTIFACTS, useLab } from './lab';
import { clearLongTasks, GPU_TIMEOUT, longTasks, progressFraction } from './pageHelpers';
import { LIVE_CHARTS, prepareTraining, SMALL_RUN, trainOnce } from './trainFlow';

const lab = useLab();

/** The reference model's convs and the phases a training step runs for each (the first conv
 *  reads the images, so it has no grad-input). */
const CONV_PHASES_RUN = ['0.conv2d forward', '0.conv2d grad-weight', '3.conv2d forward', '3.conv2d grad-input', '3.conv2d grad-weight'];
/** A shorter run for the follow-ups: the point there is the kernel choices, not the curves. */
const FOLLOW_UP = { ...SMALL_RUN, maxSteps: 2 };
/** Long enough for tuning on the steps to decide every race (candidates compile in the
 *  background first: seconds on SwiftShader). */
const TUNING_RUN = { ...SMALL_RUN, maxSteps: 150 };

describe('train', () => {
  it('trains a few steps with live charts, a moving progress bar and a finished run', async () => {
    const { page, host, screenshot, adapter } = lab();
    await prepareTraining(page, TUNING_RUN);
    await screenshot('train-ready');

    await clearLongTasks(page);
    await watchForTuning(page);
    const observedFrom = await page.evaluate(() => performance.now());
    // The mid-run screenshot resizes the window (and so every chart): its long tasks are the
    // test's doing, not the app's, and are left out of the numbers below.
    const shot = { from: 0, to: 0 };
    const run = await trainOnce(page, host, async () => {
      shot.from = await page.evaluate(() => performance.now());
      await screenshot('train-running');
      shot.to = await page.evaluate(() => performance.now());
    });
    const observedTo = await page.evaluate(() => performance.now());
    const all = (await longTasks(page)).filter((t) => t.start >= observedFrom);
    const tasks = all.filter((t) => t.start + t.duration < shot.from || t.start > shot.to);
    await screenshot('train-finished');

    for (const id of LIVE_CHARTS) expect(run.chartPoints[id], `${id} data-points`).toBeGreaterThan(0);
    // The progress bar moved: it showed more than one value, and ends full.
    expect(run.progress.length, `progress values seen: ${run.progress.join(', ')}`).toBeGreaterThan(1);
    expect(await progressFraction(page)).toBeGreaterThanOrEqual(0.999);

    const manifest = await host.service.runs.get(run.runId);
    expect(manifest.status).toBe('completed');
    expect(manifest.summary?.steps ?? TUNING_RUN.maxSteps).toBe(TUNING_RUN.maxSteps);

    // A fresh profile: the kernels were timed on this adapter (on the first steps), and the
    // panel has a row per conv layer and phase, each with its algorithm and why.
    expect(await sawTuning(page), 'the Train view said it was tuning').toBe(true);
    const rows = await kernelRows(page);
    expect(rows.map((r) => `${r.layer} ${r.phase}`).sort()).toEqual(expect.arrayContaining(CONV_PHASES_RUN));
    for (const r of rows.filter((row) => CONV_PHASES_RUN.includes(`${row.layer} ${row.phase}`))) {
      expect(r.why, r.text).toBe('measured');
      expect(['im2col', 'implicit', 'direct'], r.text).toContain(r.algorithm);
      expect(r.text).toMatch(/\d ms|µs/);
    }
    await page.getByTestId('train-kernel-choices').screenshot({ path: join(ARTIFACTS, 'train-kernels.png') });

    const longest = tasks.reduce((m, t) => Math.max(m, t.duration), 0);
    const over100 = tasks.filter((t) => t.duration > 100);
    const report = {
      adapter: `${adapter.vendor} ${adapter.architecture}`.trim(),
      settings: SMALL_RUN,
      observedSeconds: Math.round(observedTo - observedFrom) / 1000,
      trainSeconds: run.seconds,
      screenshotWindowMs: [Math.round(shot.from - observedFrom), Math.round(shot.to - observedFrom)],
      longTasksDuringScreenshot: all.length - tasks.length,
      longTasks: tasks.length,
      longestTaskMs: Math.round(longest),
      tasksOver100Ms: over100.length,
      over100Ms: over100.map((t) => ({ atMs: Math.round(t.start - observedFrom), durationMs: Math.round(t.duration) })),
    };
    writeFileSync(join(ARTIFACTS, 'responsiveness.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `[ui] responsiveness while training (${report.observedSeconds} s observed, screenshot excluded): ${report.longTasks} long tasks, ` +
        `longest ${report.longestTaskMs} ms, ${report.tasksOver100Ms} over 100 ms`,
    );
  });

  it('remembers the tuned kernels for the next launch, shrugs off a damaged cache, and obeys a forced algorithm', async () => {
    const { page, host } = lab();

    // A reload is a new worker and a new backend: only IndexedDB carries the choices over.
    await page.reload({ waitUntil: 'load' });
    await prepareTraining(page, FOLLOW_UP);
    await trainOnce(page, host);
    const cached = (await kernelRows(page)).filter((r) => CONV_PHASES_RUN.includes(`${r.layer} ${r.phase}`));
    expect(cached).toHaveLength(CONV_PHASES_RUN.length);
    for (const r of cached) expect(r.why, r.text).toBe('cached');
    expect(await readAutotuneRecord(page)).toMatchObject({ version: 1 });

    // Garbage where the choices were: training goes on (timing the GEMM tiles again), the
    // record is rewritten whole, and every conv runs the algorithm chosen in the settings.
    await writeAutotuneRecord(page, { version: 1, adapters: 'not an object' });
    // Long enough for the GEMM tiles' races to end, so that they are saved again.
    await prepareTraining(page, TUNING_RUN);
    await page.getByTestId('train-conv-algo').selectOption('im2col');
    const run = await trainOnce(page, host);
    expect((await host.service.runs.get(run.runId)).status).toBe('completed');
    const forced = (await kernelRows(page)).filter((r) => CONV_PHASES_RUN.includes(`${r.layer} ${r.phase}`));
    expect(forced).toHaveLength(CONV_PHASES_RUN.length);
    for (const r of forced) {
      expect(r.algorithm, r.text).toBe('im2col');
      expect(r.why, r.text).toBe('forced');
    }
    await expect.poll(() => page.getByTestId('train-kernel-choices').textContent(), { timeout: 5_000 }).toMatch(/conv algorithm im2col/);
    const record = (await readAutotuneRecord(page)) as { version?: number; adapters?: Record<string, Record<string, unknown>> };
    expect(record.version).toBe(1);
    expect(Object.keys(Object.values(record.adapters ?? {})[0] ?? {}).some((key) => key.startsWith('gemm:')), 'GEMM tiles saved again').toBe(true);
    await page.getByTestId('train-kernel-choices').screenshot({ path: join(ARTIFACTS, 'train-kernels-forced.png') });
    await page.getByTestId('train-conv-algo').selectOption('auto');
  }, 3 * GPU_TIMEOUT);
});
