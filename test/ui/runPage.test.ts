// The run page in real Chromium through the browser host: a tiny run trained by the engine's own
// session (CPU backend, written into the host's home as `convlab train` writes it) is opened from
// Runs; its curves, status, configuration and checkpoints show; its stored validation evaluation
// shows without recomputing; it is evaluated on another dataset on the GPU worker; a confusion
// cell opens exactly its images and one image's full top-k; an image is predicted from the file
// input and from a drop; a file that is not an image is one message; an export downloads.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { loadModel, predict } from '../../src/engine/eval/evaluate';
import { parseJson } from '../../src/engine/model/parseJson';
import { readSafetensors } from '../../src/shared/formats/safetensors';
import { PREPROCESSING_KEY } from '../../src/shared/runRecord';
import { BAND_CLASSES, bandPng, tinyBandDataset, trainTinyRun } from '../main/services/helpers/tinyRun';
import { useLab } from './lab';
import { GPU_TIMEOUT, goTo, waitForChartPoints } from './pageHelpers';

const lab = useLab();
let runId: string;
let otherSet: string;
let storedMtime: number;

beforeAll(async () => {
  const { home, page } = lab();
  runId = await trainTinyRun(home, await tinyBandDataset(home), 'tiny bands');
  // The same kind of images, classes listed in another order (matched by name), all for evaluation.
  otherSet = await tinyBandDataset(home, { name: 'bands, second set', classes: ['right', 'left', 'middle'], count: 45, valFraction: 0 });
  await page.reload({ waitUntil: 'load' }); // the page read the dataset list before these existed
  const evaluation = (await lab().host.service.runs.get(runId)).summary.evaluation as string;
  storedMtime = (await stat(join(home, 'runs', runId, 'evaluations', `${evaluation}.json`))).mtimeMs;
});

/** The engine's answer for a file, computed here on the CPU twins from the run's own weights. */
async function engineTop(bytes: Uint8Array): Promise<Array<{ class: string; probability: number }>> {
  const { host } = lab();
  const m = await host.service.runs.model(runId);
  const be = new CpuBackend();
  const weights = m.tensors.map((t) => ({ name: t.name, shape: t.shape, data: new Float32Array(Uint8Array.from(t.data).buffer) }));
  const net = loadModel(be as never, parseJson(m.spec), weights);
  const prepared = await host.service.images.prepare({ name: 'x.png', bytes }, m.preprocessing);
  return (await predict(be as never, net, prepared.pixels, m.preprocessing, 3))[0]!.top;
}

async function shownTop(testId: string): Promise<Array<{ class: string; probability: number }>> {
  const { page } = lab();
  return page.getByTestId(testId).getByTestId('topk-row').evaluateAll((rows) =>
    rows.map((r) => ({ class: r.getAttribute('data-class') ?? '', probability: Number(r.getAttribute('data-probability')) })),
  );
}

describe('run page', () => {
  it('opens a run with its curves, its status as recorded, its configuration and its checkpoints', async () => {
    const { page, host, screenshot } = lab();
    await goTo(page, 'runs');
    await page.locator(`[data-testid="run-row"][data-id="${runId}"] [data-testid="run-open"]`).click();
    await page.getByTestId('run-page').waitFor();
    const steps = (await host.service.runs.metrics(runId)).filter((r) => r.kind === 'step').length;
    // Batch loss per step plus the train and validation loss of both epochs.
    expect(await waitForChartPoints(page, 'run-chart-loss', steps + 4, 30_000)).toBe(steps + 4);
    expect(await waitForChartPoints(page, 'run-chart-accuracy', steps + 4, 30_000)).toBe(steps + 4);
    expect(await waitForChartPoints(page, 'run-chart-lr', steps, 30_000)).toBe(steps);
    expect(await waitForChartPoints(page, 'run-chart-grad-norms', 4 * steps, 30_000)).toBe(4 * steps); // 2 layers × weight, bias
    expect(await waitForChartPoints(page, 'run-chart-kernel-times', 1, 30_000)).toBeGreaterThan(0);

    const m = await host.service.runs.get(runId);
    const status = page.getByTestId('run-status');
    expect(await status.getAttribute('data-tone')).toBe('ok');
    expect(await status.innerText()).toMatch(/^Completed \(2 epochs, \d+ steps\)/);
    expect(await status.innerText()).toContain(`at epoch ${m.summary.bestEpoch} (checkpoint best)`);
    expect(await page.getByTestId('run-model-spec').innerText()).toBe(m.modelSpec);
    expect(await page.getByTestId('run-preprocessing').innerText()).toContain('left, middle, right');
    expect(await page.getByTestId('run-config-train').innerText()).toMatch(/batchSize\s+6/);
    const checkpoints = await page.getByTestId('checkpoint-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    expect(checkpoints.sort()).toEqual(['best', 'epoch-1', 'epoch-2', 'last']);
    await screenshot('run-page');
  });

  it('shows the stored validation evaluation, evaluates on another dataset, and a confusion cell opens exactly its images', async () => {
    const { page, host, screenshot } = lab();
    const m = await host.service.runs.get(runId);
    const summary = page.getByTestId('evaluation-summary');
    await summary.waitFor();
    expect(await summary.getAttribute('data-name')).toBe(m.summary.evaluation);
    const stored = await host.service.runs.evaluation(runId, m.summary.evaluation as string);
    // Shown as the trainer stored it, not recomputed (which would rewrite the same file).
    expect(await summary.getAttribute('data-created')).toBe(stored.createdAt);
    const storedFile = join(lab().home, 'runs', runId, 'evaluations', `${m.summary.evaluation}.json`);
    expect((await stat(storedFile)).mtimeMs).toBe(storedMtime);
    const counts = await page.getByTestId('confusion-cell').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-count'))));
    expect(counts).toEqual(stored.confusion.flat());

    // Another dataset, on the GPU worker, with progress; the report is stored in the run.
    await page.getByTestId('evaluate-dataset').selectOption(otherSet);
    await page.getByTestId('evaluate-start').click();
    await page.waitForFunction((id) => document.querySelector('[data-testid="evaluation-summary"]')?.getAttribute('data-name')?.startsWith(`${id}.all.`), otherSet, { timeout: GPU_TIMEOUT });
    const name = (await summary.getAttribute('data-name'))!;
    const report = await host.service.runs.evaluation(runId, name);
    expect(report).toMatchObject({ n: 45, checkpoint: 'best', dataset: { id: otherSet, split: 'all' } });
    expect(Number(await summary.getAttribute('data-accuracy'))).toBeCloseTo(report.accuracy, 12);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(45);

    // The busiest mistake cell: its gallery holds exactly its images, most confidently wrong first.
    let cell = { t: -1, p: -1, count: 0 };
    report.confusion.forEach((row, t) => row.forEach((count, p) => void (t !== p && count > cell.count && (cell = { t, p, count }))));
    expect(cell.count, 'the noisy labels leave some mistakes').toBeGreaterThan(0);
    await page.locator(`[data-testid="confusion-cell"][data-truth="${cell.t}"][data-predicted="${cell.p}"]`).click();
    const gallery = page.getByTestId('cell-gallery');
    await gallery.waitFor();
    await page.getByTestId('gallery-item').first().waitFor();
    const items = await page.getByTestId('gallery-item').evaluateAll((els) =>
      els.map((e) => ({ index: Number(e.getAttribute('data-index')), confidence: Number(e.getAttribute('data-confidence')), label: e.getAttribute('data-label'), predicted: e.getAttribute('data-predicted') })),
    );
    const expected = report.samples.index.filter((_, i) => report.samples.label[i] === cell.t && report.samples.predicted[i] === cell.p);
    expect(items.map((i) => i.index).sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    expect(items.every((i) => i.label === report.classes[cell.t] && i.predicted === report.classes[cell.p])).toBe(true);
    expect(items.map((i) => i.confidence)).toEqual([...items.map((i) => i.confidence)].sort((a, b) => b - a));

    // Normalised by row, a cell reads as its share of the true class.
    await page.getByTestId('confusion-normalise').check();
    const share = (100 * cell.count) / report.confusion[cell.t]!.reduce((a, b) => a + b, 0);
    expect(await page.locator(`[data-testid="confusion-cell"][data-truth="${cell.t}"][data-predicted="${cell.p}"]`).innerText()).toBe(`${share.toFixed(0)}%`);

    // An image's full prediction: its top-k from the predict job, the report's answer first.
    await page.getByTestId('gallery-item').first().click();
    await page.getByTestId('image-topk').waitFor({ timeout: GPU_TIMEOUT });
    const top = await shownTop('image-topk');
    expect(top.map((t) => t.class).sort()).toEqual([...BAND_CLASSES].sort());
    expect(top[0]!.class).toBe(report.classes[cell.p]);
    expect(top[0]!.probability).toBeCloseTo(items[0]!.confidence, 3);
    await screenshot('run-evaluation');
  });

  it('predicts a picked image and a dropped one as the engine does, and names a file that is not an image', async () => {
    const { page, screenshot } = lab();
    const png = bandPng(2, 4); // a 32×32 grey PNG of the "right" band
    await page.getByTestId('predict-file').setInputFiles({ name: 'right-band.png', mimeType: 'image/png', buffer: Buffer.from(png) });
    await page.getByTestId('predict-topk').waitFor({ timeout: GPU_TIMEOUT });
    expect(await page.getByTestId('predict-original').innerText()).toBe('original 32×32, grey');
    expect(await page.getByTestId('predict-input').getAttribute('data-size')).toBe('8x8');
    const want = await engineTop(png);
    const got = await shownTop('predict-topk');
    expect(got.map((t) => t.class)).toEqual(want.map((t) => t.class));
    got.forEach((t, i) => expect(t.probability).toBeCloseTo(want[i]!.probability, 3));

    // A drop on the window, as a file manager would make it.
    const dropped = bandPng(0, 3);
    await page.evaluate((bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'dropped-left.png', { type: 'image/png' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    }, [...dropped]);
    await page.waitForFunction(() => document.querySelector('[data-testid="predict-result"]')?.getAttribute('data-file') === 'dropped-left.png' && document.querySelector('[data-testid="predict-topk"]') !== null, undefined, { timeout: GPU_TIMEOUT });
    expect(await page.getByTestId('predict-original').innerText()).toBe('original 24×24, grey');
    expect((await shownTop('predict-topk')).map((t) => t.class)).toEqual((await engineTop(dropped)).map((t) => t.class));
    await screenshot('run-predict');

    // Not an image, and a truncated PNG: one clear message each, no stale result beside it.
    await page.getByTestId('predict-file').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('this is not a picture') });
    await page.getByTestId('predict-error').waitFor();
    expect(await page.getByTestId('predict-error').innerText()).toMatch(/^notes\.png cannot be used: /);
    expect(await page.getByTestId('predict-result').count()).toBe(0);
    await page.getByTestId('predict-file').setInputFiles({ name: 'cut.png', mimeType: 'image/png', buffer: Buffer.from(png.subarray(0, 60)) });
    await page.waitForFunction(() => /^cut\.png cannot be used: /.test(document.querySelector('[data-testid="predict-error"]')?.textContent ?? ''));
  });

  it('downloads exports through the browser: any checkpoint as safetensors with its preprocessing, the metrics table and the PyTorch project', async () => {
    const { page, home, screenshot } = lab();
    const before = (await readdir(home, { recursive: true })).map(String).sort();
    await page.getByTestId('export-format-safetensors').check();
    await page.getByTestId('export-checkpoint').selectOption('epoch-1');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    expect(download.suggestedFilename()).toBe('tiny_bands.epoch-1.safetensors');
    const bytes = await readFile((await download.path())!);
    const file = readSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    expect(JSON.parse(file.metadata[PREPROCESSING_KEY]!)).toMatchObject({ input: [1, 8, 8], classes: [...BAND_CLASSES] });
    expect(file.metadata.epoch).toBe('1');
    expect(bytes.equals(await readFile(join(home, 'runs', runId, 'checkpoints', 'epoch-1.safetensors')))).toBe(true);
    await page.getByTestId('export-message').waitFor();
    expect(await page.getByTestId('export-message').innerText()).toMatch(/^Downloaded tiny_bands\.epoch-1\.safetensors \(.*checkpoint epoch-1\)/);

    await page.getByTestId('export-format-csv').check();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    expect(csv.suggestedFilename()).toBe('tiny_bands.metrics.csv');
    const header = (await readFile((await csv.path())!, 'utf8')).split('\r\n')[0]!.split(',');
    for (const column of ['kind', 'step', 'loss', 'lr', 'valLoss', 'valAccuracy']) expect(header).toContain(column);

    // The PyTorch project: what to run with it, and a zip that holds it.
    await page.getByTestId('export-format-pytorch').check();
    expect(await page.getByTestId('export-pytorch-help').innerText()).toMatch(/torchrun --nproc_per_node=2 train\.py/);
    const [project] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    expect(project.suggestedFilename()).toBe('tiny_bands-pytorch.zip');
    const names = Object.keys(unzipSync(new Uint8Array(await readFile((await project.path())!))));
    for (const f of ['model.py', 'train.py', 'data.py', 'weights.safetensors', 'README.md']) expect(names).toContain(`tiny_bands-pytorch/${f}`);
    await screenshot('run-export-pytorch');
    expect((await readdir(home, { recursive: true })).map(String).sort(), 'nothing written on the server').toEqual(before);
    await screenshot('run-export');
  });

  it('opens the run at its checkpoint on the Inspect page', async () => {
    const { page } = lab();
    await page.getByTestId('run-page-inspect').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="inspect-layers"]')?.getAttribute('data-image')?.startsWith('image 0 of '), undefined, { timeout: GPU_TIMEOUT });
    expect(await page.getByTestId('inspect-run').inputValue()).toBe(runId);
  });
});
