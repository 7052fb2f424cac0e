// Flow (e): open the kernel lab and run the conformance self-test on this GPU (the same cases as
// `convlab verify`): every case must pass, and the summary must say so. Then compute the worked
// example (one 3×9×9 image, ten 3×3 filters, stride 3) and step through it.
import { describe, expect, it } from 'vitest';
import { useLab } from './lab';
import { goTo } from './pageHelpers';

const lab = useLab();
const SELF_TEST_TIMEOUT = 420_000;

describe('kernel lab', () => {
  it('opens with the worked example computing and does not offer the self-test meanwhile', async () => {
    const { page, screenshot } = lab();
    await goTo(page, 'kernels');
    await screenshot('kernels-opened');
    // The worker runs one job at a time: while the example computes, "Run self-test" would only
    // earn a "busy" error, so it must not be clickable.
    // Both read in one evaluation: the example may finish between two separate reads.
    const state = await page.evaluate(() => ({
      computing: /computing/i.test(document.querySelector('[data-testid="example-run"]')?.textContent ?? ''),
      disabled: (document.querySelector('[data-testid="selftest-run"]') as HTMLButtonElement | null)?.disabled ?? false,
    }));
    if (state.computing) expect(state.disabled, 'Run self-test enabled while the worked example computes').toBe(true);
    // Already done (a fast adapter): then the example is on screen and the self-test is offered.
    else expect([state.disabled, await page.getByTestId('example-step').count()]).toEqual([false, 1]);
  });

  it('steps through the worked example with this GPU’s numbers', async () => {
    const { page, screenshot } = lab();
    // Opening the lab computes the example ("Computing…"); a person presses the button only when
    // that is over and no example is shown.
    const step = page.getByTestId('example-step');
    const computing = () => !/computing/i.test(document.querySelector('[data-testid="example-run"]')?.textContent ?? '');
    await page.waitForFunction(computing, undefined, { timeout: 120_000 });
    if ((await step.count()) === 0) await page.getByTestId('example-run').click();
    await page.waitForFunction(computing, undefined, { timeout: 120_000 });
    expect(await page.locator('.example [role="alert"]').allTextContents(), 'worked example error banner').toEqual([]);
    await step.waitFor({ timeout: 120_000 });

    const seen: Record<string, { rows: string | null; cols: string | null; gemm: string }> = {};
    for (;;) {
      const id = (await step.getAttribute('data-step')) ?? '?';
      const matrix = page.getByTestId('example-matrix-gpu').first();
      const gemm = page.getByTestId('example-gemm');
      seen[id] = {
        rows: await matrix.getAttribute('data-rows'),
        cols: await matrix.getAttribute('data-cols'),
        gemm: (await gemm.count()) > 0 ? (await gemm.innerText()).replace(/\s+/g, ' ').trim() : '',
      };
      if (id === 'im2col') await screenshot('kernels-worked-example-im2col');
      const next = page.getByTestId('example-next');
      if (await next.isDisabled()) break;
      await next.click();
      await page.waitForFunction((prev) => document.querySelector('[data-testid="example-step"]')?.getAttribute('data-step') !== prev, id);
    }
    // im2col of 3×9×9 with 3×3 kernels at stride 3: C·kh·kw = 27 rows, Ho·Wo = 3·3 = 9 columns.
    expect(seen['im2col']).toMatchObject({ rows: '27', cols: '9' });
    expect(seen['forward']?.gemm).toMatch(/M = 10 N = 9 K = 27/);
    expect(seen['grad-input']?.gemm).toMatch(/M = 27 N = 9 K = 10/);
    expect(seen['grad-weight']?.gemm).toMatch(/M = 10 N = 27 K = 9/);
    expect(Object.keys(seen)).toContain('col2im');
    await screenshot('kernels-worked-example-col2im');
  });
  it('passes the self-test on this adapter', async () => {
    const { page, screenshot } = lab();
    await page.getByTestId('selftest-run').click();
    // Done when the summary appears, or when the panel reports an error instead (fail now).
    await page.waitForFunction(
      () =>
        /\d+\s+passed,\s*\d+\s+failed/.test(document.querySelector('[data-testid="selftest-summary"]')?.textContent ?? '') ||
        document.querySelector('.self-test [role="alert"]') !== null,
      undefined,
      { timeout: SELF_TEST_TIMEOUT, polling: 500 },
    );
    const problem = await page.locator('.self-test [role="alert"]').allTextContents();
    expect(problem, 'self-test error banner').toEqual([]);

    const text = ((await page.getByTestId('selftest-summary').textContent()) ?? '').replace(/\s+/g, ' ').trim();
    const match = /(\d+) passed, (\d+) failed/.exec(text);
    const failedRows = await page.locator('[data-testid="selftest-row"][data-pass="false"]').allTextContents();
    expect(failedRows.map((r) => r.replace(/\s+/g, ' ').trim()), 'failed self-test rows').toEqual([]);
    expect(match?.[2], text).toBe('0');
    const passed = Number(match?.[1]);
    expect(passed).toBeGreaterThan(0);
    expect(await page.getByTestId('selftest-row').count()).toBe(passed);
    console.log(`[ui] kernel lab self-test: ${text}`);
    await screenshot('kernels-self-test');
  });

});
