// The Train view as a daily tool (issue 18): charts that live with the data, honest numbers and a
// layout that keeps what matters in view.
//
// One run of a small imported folder (three classes of 28×28 shapes, 6 epochs of 7 steps) is
// watched the way a person does it: leave Train mid-run and come back (every chart is drawn
// again from its series, with a real canvas and the newest step); pause and check, at 1400×900 and
// at 1000×700, that the status, the loss/accuracy chart and the gradient norms are on screen
// without scrolling, with legends that name layers by type and index; let it finish and compare
// what the view says with what the run stored: the best validation accuracy (not the last), the
// validation loss unsmoothed on hover beside the smoothed training loss with its raw value, and
// x ticks that are whole steps, or times since the start.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { MetricsRecord } from '../../src/shared/runFormat';
import { writeImageFolder } from './imageFolder';
import { ARTIFACTS, useLab } from './lab';
import { GPU_TIMEOUT, goTo, typeInto, waitForChartPoints } from './pageHelpers';

const lab = useLab();
let folder: string | undefined;
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

const LINE_CHARTS = ['chart-loss', 'chart-grad-norms', 'chart-kernel-trend', 'chart-throughput'];
const ALL_CHARTS = [...LINE_CHARTS, 'chart-kernel-times'];
const EPOCHS = 30;
const STEPS_PER_EPOCH = 7;

interface ChartState {
  id: string;
  canvases: Array<{ width: number; height: number }>;
  points: number;
  lastX: number;
  series: string;
  legend: string;
  ticks: string;
}

async function charts(page: Page): Promise<ChartState[]> {
  return page.evaluate((ids) => ids.map((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    return {
      id,
      canvases: [...(el?.querySelectorAll('canvas') ?? [])].map((c) => ({ width: c.width, height: c.height })),
      points: Number(el?.getAttribute('data-points') ?? 0),
      lastX: Number(el?.getAttribute('data-last-x') || NaN),
      series: el?.getAttribute('data-series') ?? '',
      legend: el?.getAttribute('data-legend') ?? '',
      ticks: el?.getAttribute('data-x-ticks') ?? '',
    };
  }), ALL_CHARTS);
}

async function statusStep(page: Page): Promise<number> {
  return Number(await page.getByTestId('train-status').getAttribute('data-step'));
}

/** Waits until every line chart with step x has drawn up to the step the status says. */
async function chartsReach(page: Page, timeout = 15_000): Promise<number> {
  const step = await statusStep(page);
  await page.waitForFunction(
    ([ids, at]) => ids.every((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-last-x') || NaN) >= at),
    [['chart-loss', 'chart-grad-norms', 'chart-throughput'], step] as const,
    { timeout, polling: 200 },
  );
  return step;
}

/** The element lies wholly inside the viewport (no scrolling needed to see it). */
async function inView(page: Page, testId: string): Promise<{ ok: boolean; box: string }> {
  const box = await page.getByTestId(testId).first().boundingBox();
  const vp = page.viewportSize()!;
  if (!box) return { ok: false, box: 'none' };
  const ok = box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width + 0.5 && box.y + box.height <= vp.height + 0.5 && box.height > 0;
  return { ok, box: `${Math.round(box.x)},${Math.round(box.y)} ${Math.round(box.width)}×${Math.round(box.height)} in ${vp.width}×${vp.height}` };
}

const tick4 = (v: number) => `${+v.toPrecision(4)}`;

describe('train view', () => {
  it('keeps every chart drawn across navigation, in view at 1400×900 and 1000×700, with honest numbers', async () => {
    const { page, host, screenshot } = lab();
    folder = await mkdtemp(join(tmpdir(), 'convlab-ui-trainview-'));
    await writeImageFolder(folder, 24);
    const imported = await host.service.datasets.importFolder({ importId: 'trainview', path: folder, name: 'shapes', valFraction: 0.25, seed: 1 });
    const datasetId = imported!.dataset.id;
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.reload({ waitUntil: 'load' });
    await goTo(page, 'datasets');
    await page.locator(`[data-testid="dataset-row"][data-id="${datasetId}"]`).click();
    await goTo(page, 'model');
    await page.getByTestId('model-text').fill('conv(4,3,p=1) relu maxpool(2) flatten linear(3)');
    await page.getByTestId('model-text-apply').click();
    await goTo(page, 'train');
    await typeInto(page, 'train-epochs', /epochs/i, EPOCHS);
    await typeInto(page, 'train-batch', /batch/i, 8);
    await page.getByTestId('train-start').click();
    await waitForChartPoints(page, 'chart-loss', 2, GPU_TIMEOUT);

    // Away and back while steps keep coming: every chart has a real canvas and catches up.
    await goTo(page, 'datasets');
    await page.waitForTimeout(1500);
    await goTo(page, 'train');
    const before = await statusStep(page);
    await chartsReach(page);
    for (const c of await charts(page)) {
      expect(c.canvases.length, `${c.id} has a canvas`).toBeGreaterThan(0);
      for (const canvas of c.canvases) expect(canvas.width * canvas.height, `${c.id} canvas ${canvas.width}×${canvas.height}`).toBeGreaterThan(0);
    }

    // Paused, the view holds still: the charts show exactly what the run stored so far.
    await page.getByTestId('train-pause').click();
    await page.waitForFunction(() => ['paused', 'completed'].includes(document.querySelector('[data-testid="train-status"]')?.getAttribute('data-status') ?? ''), undefined, { timeout: 60_000 });
    expect(await page.getByTestId('train-status').getAttribute('data-status'), `paused mid-run (the view was back at step ${before})`).toBe('paused');
    await page.waitForTimeout(1500); // the host flushes metrics within a second
    const runId = (await host.service.runs.list()).runs[0]!.id;
    const step = await chartsReach(page);
    const stored = await host.service.runs.metrics(runId);
    const steps = latest(stored, 'step');
    const epochs = latest(stored, 'epoch');
    expect(steps.at(-1)?.step).toBe(step);
    const byId = Object.fromEntries((await charts(page)).map((c) => [c.id, c]));
    expect(byId['chart-loss']!.points, 'loss chart: train loss and accuracy per step, validation per epoch').toBe(2 * steps.length + 2 * epochs.length);
    expect(byId['chart-grad-norms']!.points).toBe(4 * steps.length);
    expect(byId['chart-loss']!.lastX).toBe(step);

    // Layout while training, at both window sizes; legends name layers by type and index.
    for (const [width, height] of [[1400, 900], [1000, 700]] as const) {
      await page.setViewportSize({ width, height });
      await page.locator('main.view').evaluate((el) => el.scrollTo(0, 0));
      await page.waitForTimeout(800);
      await page.screenshot({ path: join(ARTIFACTS, `train-layout-${width}x${height}.png`) });
      for (const id of ['train-status', 'chart-loss', 'chart-grad-norms']) {
        const seen = await inView(page, id);
        expect(seen.ok, `${id} at ${width}×${height}: ${seen.box}`).toBe(true);
      }
      const grads = (await charts(page)).find((c) => c.id === 'chart-grad-norms')!;
      expect(grads.series.split(' | ').sort()).toEqual(['conv2d #0 bias', 'conv2d #0 weight', 'linear #4 bias', 'linear #4 weight']);
      expect(grads.legend, `gradient legend at ${width}×${height}`).toBe('plain');
    }
    await page.setViewportSize({ width: 1400, height: 900 });

    // The hyperparameters fold while the run trains; the keyboard opens them (read-only now).
    const summary = page.getByTestId('train-params').locator(':scope > summary');
    expect(await page.getByTestId('train-epochs').isVisible()).toBe(false);
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('train-epochs').isVisible()).toBe(true);
    expect(await page.getByTestId('train-epochs').isDisabled()).toBe(true);
    await page.keyboard.press('Enter');

    // On to the end.
    await page.getByTestId('train-pause').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="train-status"]')?.getAttribute('data-status') === 'completed', undefined, { timeout: GPU_TIMEOUT });
    const manifest = await host.service.runs.get(runId);
    const records = await host.service.runs.metrics(runId);
    const finalSteps = latest(records, 'step');
    const finalEpochs = latest(records, 'epoch');
    expect(finalSteps.length).toBe(EPOCHS * STEPS_PER_EPOCH);

    // Best validation accuracy: the run's summary (the best epoch), which is the best epoch record.
    const summaryBest = manifest.summary!.bestValAccuracy as number;
    const bestRecord = finalEpochs.reduce((a, b) => (b.valAccuracy! > a.valAccuracy! || (b.valAccuracy === a.valAccuracy && b.valLoss! < a.valLoss!) ? b : a));
    expect(summaryBest).toBe(bestRecord.valAccuracy);
    const bestShown = page.getByTestId('train-best-val');
    await expect.poll(() => bestShown.getAttribute('data-epoch'), { timeout: 10_000 }).toBe(String(manifest.summary!.bestEpoch));
    expect(Number(await bestShown.getAttribute('data-value'))).toBeCloseTo(summaryBest, 12);
    expect(await bestShown.textContent()).toContain(`${(summaryBest * 100).toFixed(1)} %`);

    // Step ticks are whole numbers.
    await chartsReach(page);
    const stepTicks = (await charts(page)).find((c) => c.id === 'chart-loss')!.ticks.split(' | ').filter((t) => t !== '');
    expect(stepTicks.length).toBeGreaterThan(1);
    for (const t of stepTicks) expect(t, `step ticks: ${stepTicks.join(', ')}`).toMatch(/^\d+$/);

    // Hover at the last step: validation loss as stored (unsmoothed); train loss smoothed, raw beside it.
    const lossBox = (await page.getByTestId('chart-loss').boundingBox())!;
    await page.mouse.move(lossBox.x + lossBox.width - 58, lossBox.y + lossBox.height * 0.6);
    const tooltip = page.getByTestId('chart-loss').locator('[data-tooltip-series]');
    await tooltip.first().waitFor({ timeout: 10_000 });
    const rows = Object.fromEntries(
      await tooltip.evaluateAll((els) => els.map((e) => [e.getAttribute('data-tooltip-series'), (e.textContent ?? '').replace(/\s+/g, ' ').trim()])),
    ) as Record<string, string>;
    const lastEpoch = finalEpochs.at(-1)!;
    const lastStep = finalSteps.at(-1)!;
    expect(rows['validation loss'], JSON.stringify(rows)).toBe(`validation loss: ${tick4(lastEpoch.valLoss!)}`);
    expect(rows['validation accuracy']).toBe(`validation accuracy: ${tick4(100 * lastEpoch.valAccuracy!)}`);
    expect(rows['train loss']).toContain(`(raw ${tick4(lastStep.loss!)})`);
    await screenshot('train-finished-hover');
    await page.mouse.move(0, 0);

    // Time since the start: ticks in seconds or minutes, never raw milliseconds.
    await page.getByTestId('chart-x-seconds').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="chart-loss"]')?.getAttribute('data-x-kind') === 'seconds', undefined, { timeout: 10_000 });
    await page.waitForTimeout(1000);
    const timeTicks = (await charts(page)).find((c) => c.id === 'chart-loss')!.ticks.split(' | ').filter((t) => t !== '');
    expect(timeTicks.length).toBeGreaterThan(1);
    for (const t of timeTicks) expect(t, `time ticks: ${timeTicks.join(', ')}`).toMatch(/^(\d+(\.\d)? s|\d+:\d\d(:\d\d)?)$/);
    await screenshot('train-time-axis');
    await page.getByTestId('chart-x-step').click();

    // A second visit after the run: still drawn.
    await goTo(page, 'runs');
    await page.waitForTimeout(500);
    await goTo(page, 'train');
    await page.waitForTimeout(1000);
    for (const c of await charts(page)) {
      for (const canvas of c.canvases) expect(canvas.width * canvas.height, `${c.id} after a second visit`).toBeGreaterThan(0);
      expect(c.points, `${c.id} points after a second visit`).toBeGreaterThan(0);
    }

    // The same shared chart in Runs → Compare: a time axis in seconds, and drawn again on a second visit.
    await goTo(page, 'runs');
    const row = page.locator(`[data-testid="run-row"][data-id="${runId}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.locator('input[type="checkbox"]').first().check();
    await page.getByTestId('runs-compare').click();
    await waitForChartPoints(page, 'chart-compare', 2, 60_000);
    await page.getByTestId('compare-align-time').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="chart-compare"]')?.getAttribute('data-x-kind') === 'seconds', undefined, { timeout: 30_000 });
    await expect.poll(() => page.getByTestId('chart-compare').getAttribute('data-x-ticks'), { timeout: 10_000 }).toMatch(/\d/);
    const compareTicks = ((await page.getByTestId('chart-compare').getAttribute('data-x-ticks')) ?? '').split(' | ').filter((t) => t !== '');
    for (const t of compareTicks) expect(t, `compare time ticks: ${compareTicks.join(', ')}`).toMatch(/^(\d+(\.\d)? s|\d+:\d\d(:\d\d)?)$/);
    await goTo(page, 'train');
    await page.waitForTimeout(500);
    await goTo(page, 'runs');
    await page.waitForTimeout(1000);
    const compare = await page.getByTestId('chart-compare').evaluate((el) => [...el.querySelectorAll('canvas')].map((c) => c.width * c.height));
    expect(compare.length).toBeGreaterThan(0);
    for (const area of compare) expect(area, 'compare chart canvas after a second visit').toBeGreaterThan(0);
    await screenshot('runs-compare-time');
  }, 2 * GPU_TIMEOUT);
});

/** The newest record of each step or epoch, in order (a resumed run may log a step twice). */
type Rec = MetricsRecord & { loss?: number; valLoss?: number; valAccuracy?: number };
function latest(records: MetricsRecord[], kind: 'step' | 'epoch'): Rec[] {
  const by = new Map<number, Rec>();
  for (const r of records) if (r.kind === kind) by.set((kind === 'step' ? r.step : r.epoch) as number, r as Rec);
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}
