// What the flows ask of the page: navigate by the stable test ids, read the number of points a
// chart drew (chart roots carry data-points), and read the long tasks the init script recorded.
import type { Locator, Page } from 'playwright-core';

/** SwiftShader compiles every pipeline on the CPU, so the first step of anything GPU is slow. */
export const GPU_TIMEOUT = 240_000;

export type View = 'datasets' | 'model' | 'train' | 'runs' | 'inspect' | 'kernels';

/** Clicks the nav button of a view and waits until it is marked current (or at least shown). */
export async function goTo(page: Page, view: View): Promise<void> {
  const button = page.getByTestId(`nav-${view}`);
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  await button.click();
}

/** data-points of the chart with that test id; 0 when absent or not a number. */
export async function chartPoints(page: Page, testId: string): Promise<number> {
  const value = await page.getByTestId(testId).first().getAttribute('data-points', { timeout: 5_000 }).catch(() => null);
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** Waits until the chart with that test id says it drew at least `min` points. */
export async function waitForChartPoints(page: Page, testId: string, min = 1, timeout = GPU_TIMEOUT): Promise<number> {
  await page.waitForFunction(
    ([id, least]) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points') ?? 0) >= least,
    [testId, min] as const,
    { timeout, polling: 250 },
  );
  return chartPoints(page, testId);
}

/**
 * How far train-progress says it is, in [0, 1]: a <progress>/<meter> value/max, aria-valuenow over
 * aria-valuemax (a div acting as a progressbar), or data-value. NaN when it says nothing yet.
 */
export async function progressFraction(page: Page, testId = 'train-progress'): Promise<number> {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    if (!el) return Number.NaN;
    const read = (name: string): number => Number(el.getAttribute(name) ?? Number.NaN);
    if (el instanceof HTMLProgressElement || el instanceof HTMLMeterElement) return el.max > 0 ? el.value / el.max : Number.NaN;
    const now = read('aria-valuenow');
    if (Number.isFinite(now)) {
      const min = Number.isFinite(read('aria-valuemin')) ? read('aria-valuemin') : 0;
      const max = Number.isFinite(read('aria-valuemax')) ? read('aria-valuemax') : 100;
      return max > min ? (now - min) / (max - min) : Number.NaN;
    }
    const value = read('data-value');
    return Number.isFinite(value) ? value : Number.NaN;
  }, testId);
}

/**
 * A control found by its test id, or failing that by its visible label (what a person reads), so
 * a flow does not depend on an id the view has not promised. Throws naming both when neither is
 * there.
 */
export async function control(page: Page, testId: string, label: RegExp, timeout = 15_000): Promise<Locator> {
  const byId = page.getByTestId(testId);
  const byLabel = page.getByLabel(label);
  const either = byId.or(byLabel).first();
  try {
    await either.waitFor({ state: 'visible', timeout });
  } catch (error) {
    throw new Error(`No control with data-testid="${testId}" or a label matching ${label} is visible`, { cause: error });
  }
  return (await byId.count()) > 0 ? byId.first() : byLabel.first();
}

/** Types into a control and leaves it (change fires), as a person tabbing away would. */
export async function typeInto(page: Page, testId: string, label: RegExp, value: string | number): Promise<void> {
  const input = await control(page, testId, label);
  await input.fill(String(value));
  await input.press('Tab');
}

export interface LongTask {
  start: number;
  duration: number;
}

/** Long tasks recorded since the page loaded (or since the last clearLongTasks). */
export async function longTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => (window as unknown as { __convlabLongTasks?: LongTask[] }).__convlabLongTasks ?? []);
}

export async function clearLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __convlabLongTasks?: LongTask[] };
    if (w.__convlabLongTasks) w.__convlabLongTasks.length = 0;
  });
}
