// The run page's evaluations: the stored ones (the trainer's validation evaluation shows without
// recomputing), a new one on another dataset (the GPU worker's evaluate job, with progress), the
// confusion-matrix cell the user opened with exactly its images, and the full prediction (top-5,
// from the worker's predict job) of the image picked in that gallery.
//
// Reports and images are plain data replaced whole, so they sit in shallowRefs.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { BUILTIN_FASHION_MNIST_MINI, DATASET_ID_PATTERN } from '../../../shared/datasetFormat';
import type { EvaluationReport } from '../../../shared/evaluation';
import type { DatasetImagesResult, EvaluationSummary } from '../../../shared/labApi';
import type { Preprocessing } from '../../../shared/runRecord';
import { cellSamples, type CellSample } from '../components/evaluation/confusion';
import { evaluateOnWorker, predictOnWorker, type Prediction } from '../components/evaluation/workerJobs';
import { pngOfPixels } from '../components/predict/pngOfPixels';
import { lab, labSocketForWorkers } from '../lab';

/** Images fetched for one cell; a larger cell says how many it leaves out. */
export const GALLERY_LIMIT = 120;

export interface Gallery {
  truth: number;
  predicted: number;
  /** Every image of the cell, in gallery order (cellSamples). */
  samples: CellSample[];
  /** The first GALLERY_LIMIT of them, as pixels; null while loading or when they cannot be shown. */
  images: DatasetImagesResult | null;
  error: string | null;
}

function storedDataset(id: string): boolean {
  return id === BUILTIN_FASHION_MNIST_MINI || DATASET_ID_PATTERN.test(id);
}

export const useEvaluationStore = defineStore('evaluation', () => {
  const runId = ref<string | null>(null);
  const list = ref<EvaluationSummary[]>([]);
  const name = ref<string | null>(null);
  const report = shallowRef<EvaluationReport | null>(null);
  const error = ref<string | null>(null);
  const note = ref<string | null>(null);
  const progress = ref<{ done: number; total: number } | null>(null);
  const evaluating = ref(false);
  const normalised = ref(false);
  const gallery = shallowRef<Gallery | null>(null);
  const selected = shallowRef<CellSample | null>(null);
  const prediction = shallowRef<Prediction | null>(null);
  const predicting = ref(false);
  const predictError = ref<string | null>(null);

  function clearCell(): void {
    gallery.value = null;
    selected.value = null;
    prediction.value = null;
    predictError.value = null;
  }

  /** The run's stored evaluations; shows `preferred` (the summary's), else the newest. */
  async function load(id: string, preferred?: string): Promise<void> {
    if (runId.value !== id) {
      report.value = null;
      name.value = null;
      note.value = null;
      clearCell();
    }
    runId.value = id;
    try {
      list.value = await lab.runs.evaluations(id);
      error.value = null;
      const pick = [name.value, preferred].find((n) => n && list.value.some((e) => e.name === n)) ?? list.value[0]?.name ?? null;
      if (pick && pick !== name.value) await show(pick);
      else if (!pick) report.value = null;
    } catch (e) {
      error.value = `Could not read the run's evaluations: ${(e as Error).message}`;
    }
  }

  async function show(evaluation: string): Promise<void> {
    if (!runId.value) return;
    try {
      report.value = await lab.runs.evaluation(runId.value, evaluation);
      name.value = evaluation;
      clearCell();
      error.value = null;
    } catch (e) {
      error.value = `Could not read evaluation ${evaluation}: ${(e as Error).message}`;
    }
  }

  /** Evaluates a checkpoint on the run's validation split (no dataset) or all of a stored dataset. */
  async function evaluate(options: { dataset?: string; checkpoint?: string }): Promise<void> {
    const id = runId.value;
    if (!id || evaluating.value) return;
    evaluating.value = true;
    progress.value = { done: 0, total: 0 };
    error.value = null;
    try {
      const done = await evaluateOnWorker(
        { runId: id, ...options, labSocketUrl: labSocketForWorkers },
        (d, total) => void (progress.value = { done: d, total }),
      );
      note.value = done.note ?? null;
      list.value = await lab.runs.evaluations(id);
      report.value = done.report;
      name.value = done.name;
      clearCell();
    } catch (e) {
      error.value = `Evaluation failed: ${(e as Error).message}`;
    } finally {
      evaluating.value = false;
      progress.value = null;
    }
  }

  /** Opens a cell: exactly the images whose true class is `truth` and prediction `predicted`. */
  async function openCell(truth: number, predicted: number): Promise<void> {
    const r = report.value;
    if (!r) return;
    const samples = cellSamples(r, truth, predicted);
    clearCell();
    const unstored = !storedDataset(r.dataset.id);
    gallery.value = {
      truth, predicted, samples, images: null,
      error: unstored ? `This evaluation ran on files given by path (${r.dataset.name}), which Conv Lab does not keep, so their images cannot be shown.` : null,
    };
    if (unstored || samples.length === 0) return;
    try {
      const images = await lab.datasets.images(r.dataset.id, samples.slice(0, GALLERY_LIMIT).map((s) => s.index));
      if (gallery.value?.truth === truth && gallery.value.predicted === predicted) gallery.value = { ...gallery.value, images };
    } catch (e) {
      if (gallery.value) gallery.value = { ...gallery.value, error: `Could not load the images of ${r.dataset.name}: ${(e as Error).message}` };
    }
  }

  /** The model-sized pixels of gallery image `position`: as stored, or fitted by images.prepare. */
  async function modelPixels(images: DatasetImagesResult, position: number, p: Preprocessing): Promise<Uint8Array> {
    const size = images.channels * images.height * images.width;
    const pixels = images.images.slice(position * size, (position + 1) * size);
    const [c, h, w] = p.input;
    if (images.channels === c && images.height === h && images.width === w) return pixels;
    const png = pngOfPixels(pixels, images.channels, images.height, images.width);
    return (await lab.images.prepare({ name: `image ${position}.png`, bytes: png }, p)).pixels;
  }

  /** Picks gallery image `position` and asks the worker for its full prediction. */
  async function select(position: number, preprocessing: () => Promise<Preprocessing>): Promise<void> {
    const g = gallery.value;
    const r = report.value;
    const sample = g?.samples[position];
    if (!g?.images || !r || !runId.value || !sample) return;
    selected.value = sample;
    prediction.value = null;
    predictError.value = null;
    predicting.value = true;
    try {
      const pixels = await modelPixels(g.images, position, await preprocessing());
      const result = await predictOnWorker(runId.value, r.checkpoint, [{ name: `image ${sample.index}`, pixels }]);
      if (selected.value === sample) prediction.value = result.predictions[0] ?? null;
    } catch (e) {
      if (selected.value === sample) predictError.value = `Could not predict this image: ${(e as Error).message}`;
    } finally {
      predicting.value = false;
    }
  }

  return {
    runId, list, name, report, error, note, progress, evaluating, normalised, gallery, selected, prediction, predicting, predictError,
    load, show, evaluate, openCell, select, clearCell,
  };
});
