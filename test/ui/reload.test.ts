// A reload mid-training, as a person might do it by accident: the page asks first (beforeunload);
// once reloaded, the host has marked the run interrupted (its page is gone), Train shows that run
// with its stored curves, and "Resume from the last checkpoint" trains it on to the end, in the
// same run, without repeating a step.
//
// A small imported folder (three classes of 28×28 shapes) keeps the epochs short on SwiftShader.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeImageFolder } from './imageFolder';
import { useLab } from './lab';
import { GPU_TIMEOUT, goTo, typeInto, waitForChartPoints } from './pageHelpers';

const lab = useLab();
let folder: string | undefined;
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('reload mid-training', () => {
  it('asks before leaving, interrupts the run, shows it again and resumes it from its last checkpoint', async () => {
    const { page, host, screenshot } = lab();
    folder = await mkdtemp(join(tmpdir(), 'convlab-ui-reload-'));
    await writeImageFolder(folder, 24);
    const imported = await host.service.datasets.importFolder({ importId: 'reload-test', path: folder, name: 'shapes', valFraction: 0.25, seed: 1 });
    const datasetId = imported!.dataset.id;

    // Choose it, give it a model with three outputs, and train 4 epochs of 7 steps.
    await page.reload({ waitUntil: 'load' }); // the list was read before the import
    await goTo(page, 'datasets');
    await page.locator(`[data-testid="dataset-row"][data-id="${datasetId}"]`).click();
    await goTo(page, 'model');
    await page.getByTestId('model-text').fill('conv(4,3,p=1) relu maxpool(2) flatten linear(3)');
    await page.getByTestId('model-text-apply').click();
    await goTo(page, 'train');
    await typeInto(page, 'train-epochs', /epochs/i, 4);
    await typeInto(page, 'train-batch', /batch/i, 8);
    await page.getByTestId('train-start').click();

    // Wait until the first epoch's checkpoint is saved.
    const deadline = Date.now() + GPU_TIMEOUT;
    let runId: string | undefined;
    for (;;) {
      runId = (await host.service.runs.list()).runs[0]?.id;
      if (runId && (await host.service.runs.checkpoints(runId)).some((c) => c.name === 'last-optimizer')) break;
      if (Date.now() > deadline) throw new Error('no checkpoint was saved in time');
      await new Promise((r) => setTimeout(r, 200));
    }
    const stepsBefore = (await host.service.runs.metrics(runId)).filter((r) => r.kind === 'step').length;

    // The page asks before reloading while training runs; the person says leave.
    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await page.reload({ waitUntil: 'load' });
    expect(dialogs).toEqual(['beforeunload']);

    // The host saw the page go: the run is interrupted within seconds, nothing saved is lost.
    const interruptedBy = Date.now() + 10_000;
    while ((await host.service.runs.get(runId)).status === 'running' && Date.now() < interruptedBy) await new Promise((r) => setTimeout(r, 100));
    expect((await host.service.runs.get(runId)).status).toBe('interrupted');
    expect((await host.service.runs.metrics(runId)).filter((r) => r.kind === 'step').length).toBeGreaterThanOrEqual(stepsBefore);

    // Train shows that run and its curves from the stored metrics, and offers to resume it.
    await goTo(page, 'train');
    await page.getByTestId('train-interrupted').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.getByTestId('train-status').getAttribute('data-status')).toBe('interrupted');
    await waitForChartPoints(page, 'chart-loss', 2, 30_000);
    // …with the settings it was trained with, not the form's defaults.
    expect(await page.getByTestId('train-epochs').inputValue()).toBe('4');
    expect(await page.getByTestId('train-batch').inputValue()).toBe('8');
    await screenshot('train-interrupted');

    await page.getByTestId('train-resume-run').click();
    const doneBy = Date.now() + GPU_TIMEOUT;
    while (Date.now() < doneBy) {
      const status = (await host.service.runs.get(runId)).status;
      if (status !== 'running' && status !== 'interrupted') break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const finished = await host.service.runs.get(runId);
    expect(finished.status).toBe('completed');
    expect(finished.summary).toMatchObject({ epochs: 4, steps: 28 });
    // Every step once in the end (a step logged after the checkpoint is logged again after the
    // resume; the later record describes the run that was kept).
    const records = await host.service.runs.metrics(runId);
    const steps = records.filter((r) => r.kind === 'step').map((r) => r.step!);
    expect([...new Set(steps)]).toEqual([...Array(28).keys()].map((i) => i + 1));
    expect(records.some((r) => r.kind === 'event' && /^resumed at epoch \d, step \d+$/.test(String(r.message)))).toBe(true);
    await page.waitForFunction(() => document.querySelector('[data-testid="train-status"]')?.getAttribute('data-status') === 'completed', undefined, { timeout: 30_000 });
    await screenshot('train-resumed');
  });
});
