// Training through the Train view as a person does it: pick the reference model, set a small batch
// and a handful of steps, press Start, watch, and wait for the run to finish. Shared by the train
// flow and the compare flow (which needs two finished runs).
import type { Page } from 'playwright-core';
import type { BrowserHost } from '../../src/main/services/browserHost/server';
import { chartPoints as chartPointsOf, GPU_TIMEOUT, goTo, progressFraction, typeInto } from './pageHelpers';

export interface TrainSettings {
  batchSize: number;
  maxSteps: number;
}

/** SwiftShader: ~batch 32 on 28×28 takes a fraction of a second per step once pipelines exist. */
export const SMALL_RUN: TrainSettings = { batchSize: 32, maxSteps: 6 };

export const LIVE_CHARTS = ['chart-loss', 'chart-grad-norms', 'chart-kernel-times'] as const;

/** Reference model, then the Train view with the given settings; does not press Start. */
export async function prepareTraining(page: Page, settings: TrainSettings): Promise<void> {
  await goTo(page, 'model');
  await page.getByTestId('preset-reference').click();
  await goTo(page, 'train');
  await typeInto(page, 'train-epochs', /epochs/i, 1);
  await typeInto(page, 'train-batch', /batch/i, settings.batchSize);
  // Max steps sits under "Advanced", closed by default: open it as a person would.
  const maxSteps = page.getByTestId('train-max-steps');
  if (!(await maxSteps.isVisible())) await page.locator('summary', { hasText: /advanced/i }).first().click();
  await typeInto(page, 'train-max-steps', /max(imum)? steps/i, settings.maxSteps);
}

/** The ids of finished runs (any final status) in the host's run store. */
export async function finishedRunIds(host: BrowserHost): Promise<string[]> {
  const { runs } = await host.service.runs.list();
  return runs.filter((r) => r.status !== 'running').map((r) => r.id);
}

/** Resolves when the store has a finished run that was not in `before`; returns its id. */
export async function waitForNewFinishedRun(
  host: BrowserHost,
  before: readonly string[],
  timeout = GPU_TIMEOUT,
  check?: () => Promise<void>,
): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    await check?.();
    const fresh = (await finishedRunIds(host)).filter((id) => !before.includes(id));
    if (fresh.length > 0) return fresh[0]!;
    if (Date.now() > deadline) throw new Error(`No run finished within ${timeout / 1000} s of pressing Start`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface TrainObservation {
  runId: string;
  /** Progress fractions seen while training (for "it moved"). */
  progress: number[];
  /** data-points of each live chart once it had numbers. */
  chartPoints: Record<string, number>;
  /** Wall time from pressing Start to the run's manifest saying it finished. */
  seconds: number;
}

/** Presses Start, waits for every live chart to draw, samples progress, waits for the finish. */
export async function trainOnce(page: Page, host: BrowserHost, onTraining?: () => Promise<void>): Promise<TrainObservation> {
  const before = await finishedRunIds(host);
  const progress: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const f = await progressFraction(page).catch(() => Number.NaN);
      if (Number.isFinite(f) && progress.at(-1) !== f) progress.push(f);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  const started = Date.now();
  await page.getByTestId('train-start').click();
  try {
    // Every live chart gets numbers, unless the view reports a failure first (then say why now
    // rather than after the timeout).
    await page
      .waitForFunction(
        (charts) => {
          const status = document.querySelector('[data-testid="train-status"]')?.getAttribute('data-status');
          if (status === 'failed' || status === 'diverged') return true;
          return charts.every((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points') ?? 0) > 0);
        },
        [...LIVE_CHARTS],
        { timeout: GPU_TIMEOUT, polling: 250 },
      )
      .catch(() => undefined);
    const chartPoints: Record<string, number> = {};
    for (const id of LIVE_CHARTS) chartPoints[id] = await chartPointsOf(page, id);
    if (LIVE_CHARTS.some((id) => !(chartPoints[id]! > 0))) {
      throw new Error(`Not every live chart drew points after pressing Start; the Train view says: ${await describeTrainView(page)}`);
    }
    await onTraining?.();
    const runId = await waitForNewFinishedRun(host, before, GPU_TIMEOUT, async () => {
      const status = await page.getByTestId('train-status').getAttribute('data-status');
      if (status === 'failed') throw new Error(`Training failed before the run finished: ${await describeTrainView(page)}`);
    });
    const seconds = (Date.now() - started) / 1000;
    // The last progress the view shows after the finish.
    await new Promise((r) => setTimeout(r, 300));
    return { runId, progress, chartPoints, seconds };
  } finally {
    sampling = false;
    await sampler;
  }
}

/** Status, errors and chart counts as the Train view shows them, for a failure message. */
export async function describeTrainView(page: Page): Promise<string> {
  return page.evaluate((charts) => {
    const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim().replace(/\s+/g, ' ');
    const status = document.querySelector('[data-testid="train-status"]')?.getAttribute('data-status');
    const progress = document.querySelector('[data-testid="train-progress"]')?.getAttribute('aria-valuetext');
    const points = charts.map((id) => `${id}=${document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points') ?? 'absent'}`);
    return [
      `status=${status ?? 'absent'}`,
      `progress="${progress ?? ''}"`,
      `error="${text('train-error') ?? ''}"`,
      `blocker="${text('train-blocker') ?? ''}"`,
      ...points,
    ].join(', ');
  }, [...LIVE_CHARTS, 'chart-accuracy', 'chart-throughput']);
}
