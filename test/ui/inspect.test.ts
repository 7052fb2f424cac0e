// Flow: Inspect a trained run's image in the real app (GPU worker on SwiftShader). Pick a dataset
// image, see every layer, click a conv output pixel: the trace's products + bias equal the value
// the feature map holds there, corner pixels read padding; pick another image: the old maps and
// trace go. Screenshots of the page and the trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, useLab } from './lab';
import { GPU_TIMEOUT } from './pageHelpers';

const home = mkdtempSync(join(tmpdir(), 'convlab-ui-inspect-'));
let runId = '';

beforeAll(() => {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'convlab.mjs'), 'train', '--backend', 'cpu', '--max-steps', '20', '--json', '--home', home], {
    cwd: REPO_ROOT, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CONVLAB_CLI: 'source' },
  });
  expect(r.status, r.stderr).toBe(0);
  runId = JSON.parse(r.stdout.trim().split('\n').pop()!).run_id;
}, 240_000);
const lab = useLab({ home });
afterAll(() => rmSync(home, { recursive: true, force: true }));

const numberAttr = async (locator: import('playwright-core').Locator): Promise<number> => Number(await locator.getAttribute('data-value'));

describe('inspect', () => {
  it('traces a clicked conv output through im2col and the GEMM: products + bias = the map value', async () => {
    const { page, screenshot, consoleErrors } = lab();
    // A step that times out says what the page shows (an error banner, say) and saves a picture.
    const explain = async (e: unknown): Promise<never> => {
      await screenshot('inspect-failure');
      throw new Error(`${(e as Error).message}\npage: ${await page.locator('[data-view="inspect"]').innerText()}\nconsole errors: ${consoleErrors.join('; ')}`);
    };
    await page.getByTestId('nav-inspect').click();
    await page.getByTestId('inspect-run').selectOption(runId);
    await page.getByTestId('inspect-thumb-0').click({ timeout: 30_000 }).catch(explain);
    const layers = page.getByTestId('inspect-layers');
    await layers.waitFor({ state: 'visible', timeout: GPU_TIMEOUT }).catch(explain);
    expect(await layers.getAttribute('data-image')).toMatch(/^image 0 of /);
    // Every module of the reference model, the ReLU before each max pool included.
    expect(await page.locator('[data-testid^="inspect-layer-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).toEqual(
      ['conv2d', 'relu', 'max_pool2d', 'conv2d', 'relu', 'max_pool2d', 'flatten', 'linear'],
    );
    expect(await page.getByTestId('inspect-top').getByTestId('topk-row').count()).toBe(5);
    await page.getByTestId('saliency-map').waitFor({ state: 'visible' });
    expect(await page.getByTestId('inspect-filters').getByTestId('filter-row').count()).toBe(8 + 16);
    await screenshot('inspect-page');

    // Channel 2 of layer 3 (a 16-channel conv on 14×14): click pixel (row 5, column 9).
    const map = page.getByTestId('map-3-2');
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: (9.5 / 14) * box.width, y: (5.5 / 14) * box.height } });
    const trace = page.getByTestId('inspect-trace');
    await trace.waitFor({ state: 'visible' });
    expect(await trace.getByTestId('trace-gemm').innerText()).toMatch(/row 2 and column 79 \(= 5·14 \+ 9\) with M = 16, N = 196, K = 72/);
    const products = await trace.getByTestId('trace-product').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-value'))));
    expect(products).toHaveLength(8 * 3 * 3);
    const bias = await numberAttr(trace.getByTestId('trace-bias'));
    const shown = await numberAttr(page.getByTestId('map-value'));
    const sum = products.reduce((a, b) => a + b, 0) + bias;
    expect(Math.abs(sum - shown)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(shown)));
    expect(await numberAttr(trace.getByTestId('trace-total'))).toBeCloseTo(sum, 10);
    expect(await numberAttr(trace.getByTestId('trace-output'))).toBe(shown);
    expect(Number.isFinite(await numberAttr(trace.getByTestId('trace-grad')))).toBe(true);
    await screenshot('inspect-trace');

    // The corner of layer 0 (padding 1): of the 3×3 taps, the top row and left column read padding.
    const corner = page.getByTestId('map-0-0');
    const c = (await corner.boundingBox())!;
    await corner.click({ position: { x: (0.5 / 28) * c.width, y: (0.5 / 28) * c.height } });
    await page.waitForFunction(() => document.querySelector('[data-testid="inspect-trace"]')?.getAttribute('data-layer') === '0');
    const reads = await trace.getByTestId('trace-product').evaluateAll((rows) => rows.map((r) => r.children[2]!.textContent));
    expect(reads.filter((t) => t === 'padding')).toHaveLength(5);
    const cornerProducts = await trace.getByTestId('trace-product').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-value'))));
    const cornerSum = cornerProducts.reduce((a, b) => a + b, 0) + (await numberAttr(trace.getByTestId('trace-bias')));
    const cornerShown = await numberAttr(page.getByTestId('map-value'));
    expect(Math.abs(cornerSum - cornerShown)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(cornerShown)));

    // Another image: the trace and the maps of image 0 go, and the new maps are image 1's.
    await page.getByTestId('inspect-thumb-1').click();
    await page.waitForFunction(() => {
      const l = document.querySelector('[data-testid="inspect-layers"]');
      return l === null || l.getAttribute('data-image')?.startsWith('image 1 of ');
    });
    expect(await trace.count()).toBe(0);
    await page.waitForFunction(() => document.querySelector('[data-testid="inspect-layers"]')?.getAttribute('data-image')?.startsWith('image 1 of '), undefined, { timeout: GPU_TIMEOUT });
    await page.getByTestId('inspect-target').selectOption('class:3');
    await page.waitForFunction(() => /the score \(logit\) of Dress/.test(document.querySelector('[data-view="inspect"]')?.textContent ?? ''), undefined, { timeout: GPU_TIMEOUT });
  });
});
