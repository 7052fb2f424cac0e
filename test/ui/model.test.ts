// Flow (b): build the reference model from its preset and read what the lab says about it: every
// layer's output shape, the parameter total, and each conv's three GEMMs in the terms of the
// SpatialConvolutionMM write-up (forward W·columns, grad-input Wᵀ·dOut, grad-weight dOut·columnsᵀ).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useLab } from './lab';
import { goTo } from './pageHelpers';

const lab = useLab();

/** The reference CNN on a 1×28×28 image, as PyTorch prints the shapes. */
const REFERENCE_SHAPES = ['8×28×28', '8×28×28', '8×14×14', '16×14×14', '16×14×14', '16×7×7', '784', '10'];

/** Rows of a GEMM table as {name: [M, N, K, trans]}. */
async function gemmRows(page: Page, layer: number): Promise<Record<string, string[]>> {
  const rows = await page.getByTestId(`gemms-${layer}`).locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())),
  );
  return Object.fromEntries(rows.map((cells) => [cells[0], [cells[2], cells[3], cells[4], cells[5]]]));
}

describe('model builder', () => {
  it('builds the reference model from its preset and shows shapes and GEMMs', async () => {
    const { page, screenshot } = lab();
    await goTo(page, 'model');

    // Start elsewhere so that the preset click is what builds the reference model.
    await page.getByTestId('preset-lenet5').click();
    await page.getByTestId('layer-list').locator('> li').nth(9).waitFor();
    await page.getByTestId('preset-reference').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="layer-list"] > li').length === 8);

    for (let i = 0; i < REFERENCE_SHAPES.length; i++) {
      const shape = (await page.getByTestId(`layer-${i}-shape`).textContent())?.replace(/\s+/g, '');
      expect(shape?.replace(/[x×]/g, '×'), `layer ${i} output shape`).toBe(REFERENCE_SHAPES[i]);
    }
    expect(await page.getByTestId('model-totals').textContent()).toContain('9,098');
    expect(await page.getByTestId('model-text').inputValue()).toMatch(/conv\(8,\s*3/);

    // conv(8,3,p=1) on 1×28×28: columns are C·kh·kw = 9 rows × Ho·Wo = 784 columns.
    const batch = Number(await page.getByTestId('model-batch').inputValue());
    const conv0 = await gemmRows(page, 0);
    expect(conv0['forward']?.slice(0, 3)).toEqual(['8', '784', '9']);
    expect(conv0['grad-input']?.slice(0, 3)).toEqual(['9', '784', '8']);
    expect(conv0['grad-weight']?.slice(0, 3)).toEqual(['8', '9', '784']);
    // The transposes: grad-input reads W transposed, grad-weight reads the columns transposed.
    expect(conv0['grad-input']?.[3]).toMatch(/t/i);
    expect(conv0['grad-weight']?.[3]).toMatch(/t/i);
    const columns = await page.getByTestId('layer-0').locator('.columns').textContent();
    expect(columns?.replace(/\s+/g, ' ')).toMatch(/9 × 784/);
    expect(columns).toContain(`batch of ${batch}`);

    // conv(16,3,p=1) on 8×14×14: K = 8·3·3 = 72, N = 14·14 = 196.
    const conv3 = await gemmRows(page, 3);
    expect(conv3['forward']?.slice(0, 3)).toEqual(['16', '196', '72']);
    expect(conv3['grad-input']?.slice(0, 3)).toEqual(['72', '196', '16']);
    expect(conv3['grad-weight']?.slice(0, 3)).toEqual(['16', '72', '196']);

    await screenshot('model-reference');
  });

  it('shows a shape error at the layer that does not fit', async () => {
    const { page, screenshot } = lab();
    const text = page.getByTestId('model-text');
    await text.fill('conv(8,3) relu flatten linear(10) conv(4,3)');
    await page.getByTestId('model-text-apply').click();
    const error = page.getByTestId('layer-4-error');
    await error.waitFor({ timeout: 10_000 });
    expect((await error.textContent())?.length).toBeGreaterThan(10);
    await screenshot('model-shape-error');
    // Back to the reference model for the views that follow in a person's session.
    await page.getByTestId('preset-reference').click();
    await page.getByTestId('layer-4-error').waitFor({ state: 'detached' });
  });
});
