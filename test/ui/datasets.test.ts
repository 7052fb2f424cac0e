// Flow (a): import a small folder of PNGs (three class folders, plus one file that is not an
// image) by typing its path, as browser mode asks; then read the import report, the sample grid
// and the class histogram. Flow (a2): a folder of 48×48 colour images: once its path is typed the
// form proposes 48 px and 3 channels from a scan of the files, and the report shows every class's
// count, the original sizes and the skipped files with their reasons.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, useLab } from './lab';
import { SHAPES, writeImageFolder } from './imageFolder';
import { goTo, typeInto, waitForChartPoints } from './pageHelpers';

const lab = useLab();
const PER_CLASS = 10;
let folder: string;
let colour: string;
const COLOUR_CLASSES = { red: 5, teal: 4 } as const;

/** root/<class>/<n>.png, 48×48 RGB, each class its own hue; plus one file that is not a PNG. */
async function writeColourFolder(root: string): Promise<void> {
  for (const [name, count] of Object.entries(COLOUR_CLASSES)) {
    await mkdir(join(root, name));
    for (let n = 0; n < count; n++) {
      const data = new Uint8Array(48 * 48 * 3);
      for (let i = 0; i < 48 * 48; i++) data.set(name === 'red' ? [200 + n, 40, 30 + (i % 48)] : [20, 150 + n, 140 + (i % 48)], 3 * i);
      await writeFile(join(root, name, `${n}.png`), encodePng({ width: 48, height: 48, channels: 3, depth: 8, data }));
    }
  }
  await writeFile(join(root, 'teal', 'thumbs.db'), 'not an image');
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'convlab-ui-images-'));
  await writeImageFolder(folder, PER_CLASS);
  await writeFile(join(folder, SHAPES[0], 'notes.png'), 'this is not a PNG');
  colour = await mkdtemp(join(tmpdir(), 'convlab-ui-colour-'));
  await writeColourFolder(colour);
});
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
  if (colour) await rm(colour, { recursive: true, force: true });
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

  it('proposes size and channels from the files of a colour folder and reports the import in full', async () => {
    const { page, screenshot } = lab();
    await goTo(page, 'datasets');
    // The grey folder of the first test was scanned and proposed 28 px grey; this one is new.
    await page.getByTestId('import-path').fill(colour);
    const scan = page.getByTestId('import-scan');
    await page.waitForFunction((p) => document.querySelector('[data-testid="import-scan"] .path')?.textContent === p, colour, { timeout: 30_000 });
    expect(await scan.getAttribute('data-size')).toBe('48');
    expect(await scan.getAttribute('data-channels')).toBe('3');
    expect(await page.getByTestId('import-size').inputValue()).toBe('48');
    expect(await page.getByTestId('import-channels').inputValue()).toBe('3');
    const chips = await page.getByTestId('import-scan-classes').locator('li').evaluateAll((els) => els.map((e) => [e.getAttribute('data-class'), e.getAttribute('data-files')]));
    expect(chips).toEqual([['red', '5'], ['teal', '4']]);
    expect(await page.getByTestId('import-scan-sizes').textContent()).toBe('48×48 (9)');
    expect(await page.getByTestId('import-scan-colour').textContent()).toBe('colour (all 9)');
    expect(await scan.textContent()).toMatch(/1 entry will be left out/);
    await scan.screenshot({ path: join(ARTIFACTS, 'datasets-scan.png') });

    // A size the user sets stays through later scans; the untouched channels follow each folder.
    await page.getByTestId('import-size').fill('32');
    const scannedPath = (p: string) =>
      page.waitForFunction((want) => document.querySelector('[data-testid="import-scan"] .path')?.textContent === want, p, { timeout: 30_000 });
    await page.getByTestId('import-path').fill(folder);
    await scannedPath(folder);
    await expect.poll(() => page.getByTestId('import-channels').inputValue()).toBe('1');
    expect(await page.getByTestId('import-size').inputValue()).toBe('32');
    await page.getByTestId('import-path').fill(colour);
    await scannedPath(colour);
    await expect.poll(() => page.getByTestId('import-channels').inputValue()).toBe('3');
    expect(await page.getByTestId('import-size').inputValue()).toBe('32');

    await page.getByTestId('import-name').fill('colours');
    await page.getByTestId('import-start').click();
    const report = page.getByTestId('import-report');
    await page.waitForFunction(() => /Imported 9 images into “colours”/.test(document.querySelector('[data-testid="import-report"]')?.textContent ?? ''), undefined, { timeout: 120_000 });
    const rows = await page.getByTestId('import-report-classes').locator('tbody tr').evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-class'), e.getAttribute('data-images'), e.querySelectorAll('td')[2]?.textContent]),
    );
    expect(rows).toEqual([['red', '5', '5'], ['teal', '4', '4']]);
    expect(await page.getByTestId('import-report-shape').textContent()).toMatch(/^\s*3×32×32 \(RGB\), stretched\s*$/);
    expect(await page.getByTestId('import-report-sizes').textContent()).toContain('48×48 (9)');
    expect(await page.getByTestId('import-skipped').locator('tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/teal\/thumbs\.db\s+not a PNG, JPEG, BMP or WebP file/)]);
    await report.screenshot({ path: join(ARTIFACTS, 'datasets-import-report.png') });
    await screenshot('datasets-colour-imported');

    const { datasets } = await lab().host.service.datasets.list();
    expect(datasets.find((d) => d.name === 'colours')).toMatchObject({ channels: 3, height: 32, width: 32, classCounts: [5, 4] });
  });
});
