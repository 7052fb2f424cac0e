// A sweep queued from the Train view as a person does it: a 6-run grid (lr × batch) on the embedded
// dataset, one step per run, trained by the GPU worker with the engine's sweep runner; a bad value
// is refused first with the engine's message. Then its runs in the Runs view: filtered to the
// sweep and further by a condition, sorted by a column, drawn in parallel coordinates (a brush on
// an axis narrows the table) and the scatter, and compared with a legend naming each run by what
// differs. A reload in the middle of a sweep interrupts its current run; Resume finishes the sweep
// in place, recording no run twice.
import { describe, expect, it } from 'vitest';
import { sweepRuns } from '../../src/main/services/sweeps/sweepStore';
import { RunStore } from '../../src/main/services/runStore';
import { useLab } from './lab';
import { GPU_TIMEOUT, goTo, typeInto, waitForChartPoints } from './pageHelpers';

const lab = useLab();
const SWEEP_TIMEOUT = 540_000;

describe('sweep from the app', () => {
  it('queues a 6-run grid, runs it to the end, and shows its runs filtered, sorted and in parallel coordinates', async () => {
    const { page, host, screenshot, home } = lab();
    await goTo(page, 'model');
    await page.getByTestId('preset-reference').click();
    await goTo(page, 'train');
    await typeInto(page, 'train-epochs', /epochs/i, 1);
    await typeInto(page, 'train-batch', /batch/i, 8);
    // One conv algorithm for every layer: no kernel timing before the first step of each batch size.
    await page.getByTestId('train-conv-algo').selectOption('im2col');
    const maxSteps = page.getByTestId('train-max-steps');
    if (!(await maxSteps.isVisible())) await page.locator('summary', { hasText: /advanced/i }).first().click();
    await typeInto(page, 'train-max-steps', /max(imum)? steps/i, 1);

    await page.getByTestId('sweep-open').click();
    await page.getByTestId('sweep-field-lr').fill('0.1, 0.05, 500');
    await expect.poll(() => page.getByTestId('sweep-problem').textContent()).toMatch(/lr=500: must be a number from 0 to 100/);
    expect(await page.getByTestId('sweep-queue').isDisabled()).toBe(true);
    await page.getByTestId('sweep-field-lr').fill('0.1, 0.05, 0.02');
    await page.getByTestId('sweep-field-batch').fill('8, 16');
    await page.getByTestId('sweep-name').fill('lr × batch');
    await expect.poll(() => page.getByTestId('sweep-run-count').getAttribute('data-runs')).toBe('6');
    await screenshot('sweep-form');

    await page.getByTestId('sweep-queue').click();
    await page.getByTestId('sweep-current').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('train-start').isDisabled()).toBe(true);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="sweep-status"]')?.getAttribute('data-done') ?? 0) >= 1, undefined, { timeout: SWEEP_TIMEOUT, polling: 500 });
    await screenshot('sweep-running');
    await page.waitForFunction(
      () => ['finished', 'failed', 'stopped'].includes(document.querySelector('[data-testid="sweep-status"]')?.getAttribute('data-status') ?? ''),
      undefined,
      { timeout: SWEEP_TIMEOUT, polling: 500 },
    );
    const status = page.getByTestId('sweep-status');
    expect(await status.getAttribute('data-status'), (await page.getByTestId('sweep-progress').textContent()) ?? '').toBe('finished');
    expect(await status.getAttribute('data-done')).toBe('6');
    await screenshot('sweep-finished');

    // Six normal runs, tagged with the sweep, one per index, each with its parameters.
    const [sweep] = await host.service.sweeps.list();
    expect(sweep).toMatchObject({ name: 'lr × batch', total: 6, done: 6, parameters: ['lr', 'batch'] });
    const byIndex = await sweepRuns(new RunStore(home), sweep!.id);
    expect([...byIndex.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const [index, run] of byIndex) {
      expect(run.status).toBe('completed');
      expect(run.tags).toContain(`sweep:${sweep!.id}`);
      expect((run.config as { train: { maxSteps: number; batchSize: number } }).train).toMatchObject({ maxSteps: 1, batchSize: index % 2 === 0 ? 8 : 16 });
    }

    // The table, filtered to the sweep (Show in Runs), then by a condition, sorted by lr.
    await page.getByTestId('sweep-show-runs').click();
    const count = page.getByTestId('runs-count');
    await expect.poll(() => count.getAttribute('data-listed'), { timeout: 30_000 }).toBe('6');
    expect(await page.getByTestId('runs-filter').inputValue()).toBe(`sweep:${sweep!.id}`);
    await page.getByTestId('runs-filter').fill(`sweep:${sweep!.id} and batch = 16`);
    await expect.poll(() => count.getAttribute('data-listed')).toBe('3');
    await page.getByTestId('runs-sort-lr').click(); // numbers start high
    const lrs = await page.locator('[data-testid="run-row"] td[data-key="lr"]').allInnerTexts();
    expect(lrs).toEqual(['0.1', '0.05', '0.02']);
    await page.getByTestId('runs-sort-lr').click();
    expect(await page.locator('[data-testid="run-row"] td[data-key="lr"]').allInnerTexts()).toEqual(['0.02', '0.05', '0.1']);
    await page.getByTestId('runs-filter').fill('batch = 16 and learning_rate < 1');
    await expect.poll(() => page.getByTestId('runs-filter-error').textContent()).toMatch(/unknown column "learning_rate" at column 16/);
    await screenshot('sweep-runs-filter-error');
    await page.getByTestId('runs-filter').fill(`sweep:${sweep!.id}`);
    await expect.poll(() => count.getAttribute('data-listed')).toBe('6');
    await screenshot('sweep-runs-table');

    // Parallel coordinates over lr, batch and best validation accuracy: one line per run.
    const parallel = page.getByTestId('chart-parallel');
    await parallel.scrollIntoViewIfNeeded();
    await expect.poll(() => parallel.getAttribute('data-lines'), { timeout: 30_000 }).toBe('6');
    expect(await parallel.getAttribute('data-axes')).toBe('lr | batch | best_val_accuracy');
    expect(await waitForChartPoints(page, 'chart-scatter', 6, 30_000)).toBe(6);
    // Brush the top of the lr axis (its largest value, 0.1; the axis runs from 48 px below the
    // chart's top to 30 px above its bottom, and a category is taken when the range reaches past
    // half the way to it): the table keeps only those runs.
    const xs = (await parallel.getAttribute('data-axis-x'))!.split(',').map(Number);
    const box = (await parallel.boundingBox())!;
    await page.mouse.move(box.x + xs[0]!, box.y + 50);
    await page.mouse.down();
    await page.mouse.move(box.x + xs[0]!, box.y + 85, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => parallel.getAttribute('data-brushed')).toMatch(/^[1-5]$/);
    const brushed = await parallel.getAttribute('data-brushed');
    await expect.poll(() => count.getAttribute('data-listed')).toBe(brushed);
    await screenshot('sweep-parallel-brush');
    const brushedLrs = await page.locator('[data-testid="run-row"] td[data-key="lr"]').allInnerTexts();
    expect(brushedLrs, `rows kept by the brush: ${brushedLrs.join(', ')}`).toEqual(['0.1', '0.1']);
    await page.getByTestId('runs-brush').getByRole('button').click();
    await expect.poll(() => count.getAttribute('data-listed')).toBe('6');
    await expect.poll(() => parallel.getAttribute('data-brushed')).toBe(''); // the chart's range is gone too

    // Compare all six: the legend names each by what differs.
    await page.getByTestId('runs-tick-all').check();
    await page.getByTestId('runs-compare').click();
    await waitForChartPoints(page, 'chart-compare', 6, 60_000);
    const legend = await page.getByTestId('compare-legend-item').allInnerTexts();
    expect(legend.map((l) => l.trim()).sort()).toEqual(['lr=0.02 batch=16', 'lr=0.02 batch=8', 'lr=0.05 batch=16', 'lr=0.05 batch=8', 'lr=0.1 batch=16', 'lr=0.1 batch=8']);
    await page.getByTestId('compare-align-time').click();
    await page.getByTestId('compare-log-x').check();
    await expect.poll(() => page.getByTestId('chart-compare').getAttribute('data-x-kind')).toBe('seconds');
    await screenshot('sweep-compare');
  }, 660_000);

  it('a reload mid-sweep interrupts its current run; Resume finishes the sweep without recording a run twice', async () => {
    const { page, host, screenshot, home } = lab();
    await goTo(page, 'train');
    await typeInto(page, 'train-max-steps', /max(imum)? steps/i, 150);
    // The form stays open after the last sweep, ready for the next.
    if (!(await page.getByTestId('sweep-form').isVisible())) await page.getByTestId('sweep-open').click();
    await page.getByTestId('sweep-field-lr').fill('0.1, 0.05, 0.02');
    await page.getByTestId('sweep-field-batch').fill('');
    await page.getByTestId('sweep-name').fill('reloaded');
    await expect.poll(() => page.getByTestId('sweep-run-count').getAttribute('data-runs')).toBe('3');
    await page.getByTestId('sweep-queue').click();

    // Reload once the second run has logged a few steps.
    const store = new RunStore(home);
    const sweepId = async () => (await host.service.sweeps.list()).find((s) => s.name === 'reloaded')?.id;
    const deadline = Date.now() + GPU_TIMEOUT;
    let id: string | undefined;
    for (;;) {
      id ??= await sweepId();
      const second = id ? (await sweepRuns(store, id)).get(1) : undefined;
      if (second && (await store.readMetrics(second.id)).filter((m) => m.kind === 'step').length >= 3) break;
      if (Date.now() > deadline) throw new Error('the second run of the sweep did not get going in time');
      await new Promise((r) => setTimeout(r, 200));
    }
    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await page.reload({ waitUntil: 'load' });
    expect(dialogs).toEqual(['beforeunload']);
    const interruptedRun = (await sweepRuns(store, id!)).get(1)!.id;
    await expect.poll(async () => (await host.service.runs.get(interruptedRun)).status, { timeout: 15_000 }).toBe('interrupted');
    expect((await sweepRuns(store, id!)).get(0)!.status).toBe('completed');

    // Train offers to resume the sweep; the interrupted run continues, the third runs.
    await goTo(page, 'train');
    await expect.poll(() => page.getByTestId('sweep-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('interrupted');
    await screenshot('sweep-interrupted');
    await page.getByTestId('sweep-resume').click();
    await page.waitForFunction(
      () => ['finished', 'failed', 'stopped'].includes(document.querySelector('[data-testid="sweep-status"]')?.getAttribute('data-status') ?? ''),
      undefined,
      { timeout: SWEEP_TIMEOUT, polling: 500 },
    );
    expect(await page.getByTestId('sweep-status').getAttribute('data-status'), (await page.getByTestId('sweep-progress').textContent()) ?? '').toBe('finished');
    const runs = await sweepRuns(store, id!);
    expect([...runs.values()].map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    expect(runs.get(1)!.id).toBe(interruptedRun); // continued in its own folder
    const tagged = (await store.list()).filter((r) => r.tags.includes(`sweep:${id}`));
    expect(tagged).toHaveLength(3);
    await screenshot('sweep-resumed');
  }, 660_000);
});
