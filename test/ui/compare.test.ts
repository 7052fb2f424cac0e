// Flow (d): train twice (two different batch sizes, so the config diff has something to show),
// then in the Runs view select both rows and compare: the overlaid chart must draw points.
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useLab } from './lab';
import { goTo, waitForChartPoints } from './pageHelpers';
import { prepareTraining, SMALL_RUN, trainOnce } from './trainFlow';

const lab = useLab();

/** Multi-select as the table offers it: a row's checkbox when it has one, else Ctrl+click. */
async function selectRow(row: Locator, additive: boolean): Promise<void> {
  const box = row.locator('input[type="checkbox"]');
  if ((await box.count()) > 0) return box.first().check();
  await row.click({ modifiers: additive ? ['ControlOrMeta'] : [] });
}

describe('runs', () => {
  it('compares two finished runs', async () => {
    const { page, host, screenshot } = lab();
    const ids: string[] = [];
    for (const batchSize of [16, 32]) {
      await prepareTraining(page, { ...SMALL_RUN, batchSize });
      ids.push((await trainOnce(page, host)).runId);
    }
    expect(new Set(ids).size).toBe(2);

    await goTo(page, 'runs');
    const rows = page.getByTestId('run-row');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="run-row"]').length >= 2, undefined, { timeout: 30_000 });
    expect(await rows.count()).toBe(2);
    await screenshot('runs-table');

    await selectRow(rows.nth(0), false);
    await selectRow(rows.nth(1), true);
    await page.getByTestId('runs-compare').click();
    const points = await waitForChartPoints(page, 'chart-compare', 2, 60_000);
    // Both runs' loss curves over their steps.
    expect(points).toBeGreaterThanOrEqual(2 * SMALL_RUN.maxSteps);
    // The config diff names what differs (the batch size), and kernel timings sit side by side.
    const diff = await page.getByTestId('config-diff').locator('tbody tr').allInnerTexts();
    const batchRow = diff.find((row) => /batchSize/.test(row));
    expect(batchRow, `config diff rows: ${diff.join(' | ')}`).toBeDefined();
    expect(batchRow).toMatch(/16/);
    expect(batchRow).toMatch(/32/);
    expect(await page.getByTestId('kernel-times-compare').locator('tbody tr').count()).toBeGreaterThan(0);
    await screenshot('runs-compare');
  });
});
