// The run table with 500 stored runs (written straight into the host's run store, as `convlab
// train` would leave them): it opens, filters with the query language, sorts and scrolls with
// only the rows in view in the DOM, and a ticked run stays ticked while a filter hides it. The
// times it takes are measured and saved (test-artifacts/ui/runs-table-500.json; the figure is in
// docs/performance.md), never asserted: the checks are on what the table shows, computed again
// here from the manifests with the same runFacts/runQuery the CLI uses.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/main/services/runStore';
import { BUILTIN_FASHION_MNIST_MINI } from '../../src/shared/datasetFormat';
import { runFacts } from '../../src/shared/runFacts';
import { parseRunFilter } from '../../src/shared/runQuery';
import { sweepTag } from '../../src/shared/runRecord';
import { ARTIFACTS, useLab } from './lab';
import { goTo } from './pageHelpers';

const lab = useLab();
const RUNS = 500;
const FILTER = 'best_val_accuracy >= 0.85 and lr < 0.05 and optimizer = adam';

/** 500 runs over lr × batch × optimizer with made-up but plausible results. */
async function storeRuns(home: string): Promise<void> {
  const store = new RunStore(home);
  const sweep = 'sw-20260101-000000-abcd';
  for (let i = 0; i < RUNS; i++) {
    const lr = [0.1, 0.05, 0.03, 0.01, 0.003][i % 5]!;
    const batchSize = [16, 32, 64, 128][Math.floor(i / 5) % 4]!;
    const optimizer = i % 3 === 0 ? 'adam' : 'sgd';
    const acc = 0.6 + ((i * 37) % 100) / 300;
    const w = await store.create({
      name: `run ${i + 1}`, modelSpec: 'conv(8,3,p=1) relu maxpool(2) flatten linear(10)', dataset: { id: BUILTIN_FASHION_MNIST_MINI, name: 'Fashion-MNIST mini' }, seed: i,
      tags: i < 100 ? [sweepTag(sweep)] : ['bulk'],
      config: { train: { lr, batchSize, epochs: 2, seed: i, optimizer: { name: optimizer, momentum: optimizer === 'sgd' ? 0.9 : 0, weightDecay: 0 } }, ...(i < 100 ? { sweep: { id: sweep, index: i, params: { lr, batch: batchSize } } } : {}) },
    });
    await w.finish('completed', { bestValAccuracy: acc, valAccuracy: acc - 0.01, valLoss: 1.2 - acc, bestValLoss: 1.19 - acc, imagesPerSecond: 900 + i, steps: 40 });
  }
}

describe('run table with 500 runs', () => {
  it('opens, filters, sorts and scrolls with virtual rows; ticks survive filtering', async () => {
    const { page, host, home, screenshot } = lab();
    const t0 = Date.now();
    await storeRuns(home);
    console.log(`[ui] stored ${RUNS} runs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const manifests = (await host.service.runs.list()).runs;
    expect(manifests).toHaveLength(RUNS);
    const filter = parseRunFilter(FILTER);
    const expected = manifests.filter((m) => filter(runFacts(m))).length;
    expect(expected).toBeGreaterThan(5);

    // Open: from the click on Runs to 500 runs listed and the first rows drawn.
    const openStart = Date.now();
    await goTo(page, 'runs');
    await page.waitForFunction((n) => document.querySelector('[data-testid="runs-count"]')?.getAttribute('data-listed') === String(n) && document.querySelectorAll('[data-testid="run-row"]').length > 0, RUNS, { timeout: 60_000, polling: 'raf' });
    const openMs = Date.now() - openStart;
    const domRows = await page.getByTestId('run-row').count();
    expect(domRows).toBeGreaterThan(5);
    expect(domRows).toBeLessThan(80); // virtual: the rows in view, not 500

    // Filter: from the input event to the filtered rows painted (two animation frames), in the page.
    const filterMs = await page.evaluate(async (text) => {
      const input = document.querySelector<HTMLInputElement>('[data-testid="runs-filter"]')!;
      const start = performance.now();
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - start;
    }, FILTER);
    expect(await page.getByTestId('runs-count').getAttribute('data-listed')).toBe(String(expected));
    const accs = await page.locator('[data-testid="run-row"] td[data-key="best_val_accuracy"]').allInnerTexts();
    expect(accs.length).toBe(Math.min(expected, domRows + 20) > 0 ? accs.length : 0);
    for (const a of accs) expect(parseFloat(a)).toBeGreaterThanOrEqual(85);

    // Clear and sort by best accuracy (high first): the first row is the best run of all.
    await page.getByTestId('runs-filter').fill('');
    const sortMs = await page.evaluate(async () => {
      const start = performance.now();
      document.querySelector<HTMLButtonElement>('[data-testid="runs-sort-best_val_accuracy"]')!.click();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - start;
    });
    const best = Math.max(...manifests.map((m) => (m.summary as { bestValAccuracy: number }).bestValAccuracy));
    expect(parseFloat(await page.locator('[data-testid="run-row"] td[data-key="best_val_accuracy"]').first().innerText())).toBeCloseTo(100 * best, 0);

    // Tick the first two rows, hide one with a filter, bring it back: both still ticked.
    const first = page.getByTestId('run-row').nth(0);
    const second = page.getByTestId('run-row').nth(1);
    const [idA, idB] = [await first.getAttribute('data-id'), await second.getAttribute('data-id')];
    await first.getByTestId('run-select').check();
    await second.getByTestId('run-select').check();
    const nameA = await first.getByTestId('run-open').innerText();
    await page.getByTestId('runs-filter').fill(`"${nameA}"`);
    await expect.poll(() => page.getByTestId('runs-count').textContent()).toMatch(/1 ticked run hidden by the filter/);
    await page.getByTestId('runs-filter').fill('');
    for (const id of [idA, idB]) expect(await page.locator(`[data-testid="run-row"][data-id="${id}"] [data-testid="run-select"]`).isChecked()).toBe(true);

    // Scroll to the end: the last run is drawn, still only the rows in view.
    const scrollMs = await page.evaluate(async () => {
      const el = document.querySelector<HTMLElement>('[data-testid="runs-scroller"]')!;
      const start = performance.now();
      el.scrollTop = el.scrollHeight;
      el.dispatchEvent(new Event('scroll'));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - start;
    });
    const worst = Math.min(...manifests.map((m) => (m.summary as { bestValAccuracy: number }).bestValAccuracy));
    const lastShown = await page.locator('[data-testid="run-row"] td[data-key="best_val_accuracy"]').last().innerText();
    expect(parseFloat(lastShown)).toBeCloseTo(100 * worst, 0);
    expect(await page.getByTestId('run-row').count()).toBeLessThan(80);
    await page.evaluate(() => (document.querySelector<HTMLElement>('[data-testid="runs-scroller"]')!.scrollTop = 0));
    await page.getByTestId('runs-filter').fill(FILTER);
    await screenshot('runs-table-500');

    const timings = { runs: RUNS, openMs, filterMs: Math.round(filterMs), sortMs: Math.round(sortMs), scrollMs: Math.round(scrollMs), domRows, filtered: expected };
    writeFileSync(join(ARTIFACTS, 'runs-table-500.json'), `${JSON.stringify(timings, null, 2)}\n`);
    console.log(`[ui] run table, ${RUNS} runs: open ${openMs} ms (click → rows drawn), filter ${timings.filterMs} ms, sort ${timings.sortMs} ms, scroll ${timings.scrollMs} ms; ${domRows} rows in the DOM`);
  }, 300_000);
});
