// Flow (c): train the reference model for a handful of steps on the built-in dataset, see every live
// chart receive numbers and the progress bar move, and let the run finish. While it trains, the
// main thread's long tasks are recorded (a PerformanceObserver installed before the app's first
// script) and written to test-artifacts/ui/responsiveness.json. Nothing about timing is asserted:
// numbers are measured and reported, not tested (DESIGN.md).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, useLab } from './lab';
import { clearLongTasks, longTasks, progressFraction } from './pageHelpers';
import { LIVE_CHARTS, prepareTraining, SMALL_RUN, trainOnce } from './trainFlow';

const lab = useLab();

describe('train', () => {
  it('trains a few steps with live charts, a moving progress bar and a finished run', async () => {
    const { page, host, screenshot, adapter } = lab();
    await prepareTraining(page, SMALL_RUN);
    await screenshot('train-ready');

    await clearLongTasks(page);
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
    expect(manifest.summary?.steps ?? SMALL_RUN.maxSteps).toBe(SMALL_RUN.maxSteps);

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
});
