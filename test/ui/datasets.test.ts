// Flow (a): import a small folder of PNGs (three class folders, plus one file that is not an
// image) by typing its path, as browser mode asks; then read the import report, the sample grid
// and the class histogram.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLab } from './lab';
import { SHAPES, writeImageFolder } from './imageFolder';
import { goTo, typeInto, waitForChartPoints } from './pageHelpers';

const lab = useLab();
const PER_CLASS = 10;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'convlab-ui-images-'));
  await writeImageFolder(folder, PER_CLASS);
  await writeFile(join(folder, SHAPES[0], 'notes.png'), 'this is not a PNG');
});
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('datasets', () => {
  it('imports an image folder from a typed path and shows the report, samples and histogram', async () => {
    const { page, screenshot } = lab();
    await goTo(page, 'datasets');
    await screenshot('datasets-before-import');

    await typeInto(page, 'import-path', /folder|path/i, folder);
    await typeInto(page, 'import-name', /^name/i, 'shapes');
    await page.getByTestId('import-start').or(page.getByRole('button', { name: /^import/i })).first().click();

    // The report: how many images came in, and the skipped file with its reason.
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 120_000 });
    await page.waitForFunction(
      (n) => (document.querySelector('[data-testid="import-report"]')?.textContent ?? '').includes(String(n)),
      SHAPES.length * PER_CLASS,
      { timeout: 60_000 },
    );
    const reportText = ((await report.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(reportText).toContain(`Imported ${SHAPES.length * PER_CLASS} images into “shapes”`);
    expect(reportText).toMatch(/skipped 1 file/);
    expect(await page.getByTestId('import-skipped').locator('tbody tr').allTextContents()).toEqual([expect.stringContaining('notes.png')]);

    // The sample grid shows images of every class, labelled.
    const grid = page.getByTestId('sample-grid');
    await grid.waitFor({ timeout: 60_000 });
    expect(Number(await grid.getAttribute('data-count'))).toBeGreaterThanOrEqual(SHAPES.length);
    const captions = await grid.locator('figcaption').allTextContents();
    for (const shape of SHAPES) expect(captions.map((c) => c.trim())).toContain(shape);

    // The class histogram: one bar per class.
    expect(await waitForChartPoints(page, 'chart-class-histogram', SHAPES.length, 30_000)).toBe(SHAPES.length);
    await screenshot('datasets-imported');

    // And the host stored it: the real service lists the new dataset with its three classes.
    const { datasets } = await lab().host.service.datasets.list();
    const stored = datasets.find((d) => d.name === 'shapes');
    expect(stored?.classes).toEqual([...SHAPES]);
  });
});
