// Train settings' augmentation: switching on flip and a padded crop shows a grid of augmented
// samples of the selected dataset (the training step's own CPU twin), "Other draws" shows new ones,
// the summary and the --augment text name the spec, and the run started from there records it.
import { describe, expect, it } from 'vitest';
import { useLab } from './lab';
import { GPU_TIMEOUT } from './pageHelpers';
import { finishedRunIds, prepareTraining, waitForNewFinishedRun } from './trainFlow';

const lab = useLab();

describe('augmentation in the Train settings', () => {
  it('previews augmented samples and trains with the spec', async () => {
    const { page, host, screenshot, pageErrors } = lab();
    await prepareTraining(page, { batchSize: 16, maxSteps: 2 });
    await page.getByTestId('augment-flip').check();
    await page.getByTestId('augment-crop').check();
    await page.getByTestId('augment-crop-value').fill('3');
    await page.getByTestId('augment-crop-value').press('Tab');
    await expect.poll(() => page.getByTestId('train-augment-text').textContent()).toBe('--augment crop:3,flip');

    // The built-in dataset has 10 classes: 4 rows of 7 draws.
    const preview = page.getByTestId('augment-preview');
    await expect.poll(() => preview.getAttribute('data-rows')).toBe('4');
    const images = preview.getByTestId('augment-preview-image');
    expect(await images.count()).toBe(28);
    const pixels = () => images.first().evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    const first = await pixels();
    await page.getByTestId('augment-preview-next').click();
    await expect.poll(pixels).not.toBe(first);
    await screenshot('train-augment-preview');

    const before = await finishedRunIds(host);
    await page.getByTestId('train-start').click();
    const runId = await waitForNewFinishedRun(host, before, GPU_TIMEOUT);
    const manifest = await host.service.runs.get(runId);
    expect(manifest.status).toBe('completed');
    expect((manifest.config as { train: { augment?: unknown } }).train.augment).toEqual({ crop: 3, flip: true });
    expect(pageErrors).toEqual([]);
  }, GPU_TIMEOUT + 120_000);
});
