// Predict: one image file (dropped on the window or picked) → lab.images.prepare with the run's
// preprocessing (the services decode and fit it, as for `convlab predict`) → the pixels the model
// actually sees → the GPU worker's predict job → the top-5. A file that is not a readable image is
// one message, and the previous result stays cleared so nothing stale is shown beside it.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { PreparedImage } from '../../../shared/labApi';
import { MAX_IMAGE_FILE_BYTES } from '../../../shared/labSchemas';
import type { Preprocessing } from '../../../shared/runRecord';
import { predictOnWorker, type Prediction } from '../components/evaluation/workerJobs';
import { lab } from '../lab';

export type PredictPhase = 'idle' | 'reading' | 'preparing' | 'predicting' | 'done' | 'failed';

export const usePredictStore = defineStore('predict', () => {
  const phase = ref<PredictPhase>('idle');
  const fileName = ref<string | null>(null);
  const prepared = shallowRef<PreparedImage | null>(null);
  /** The input size the pixels are at (the preprocessing's C×H×W). */
  const input = ref<[number, number, number] | null>(null);
  const prediction = shallowRef<Prediction | null>(null);
  const checkpoint = ref<string | null>(null);
  const error = ref<string | null>(null);
  let attempt = 0;

  function reset(): void {
    attempt++;
    phase.value = 'idle';
    fileName.value = null;
    prepared.value = null;
    input.value = null;
    prediction.value = null;
    checkpoint.value = null;
    error.value = null;
  }

  /** Predicts `file` with the run's checkpoint; `preprocessing` is asked for once the file is read. */
  async function predictFile(file: File, run: { id: string; checkpoint?: string }, preprocessing: () => Promise<Preprocessing>): Promise<void> {
    const mine = ++attempt;
    const current = () => mine === attempt;
    fileName.value = file.name;
    prepared.value = null;
    prediction.value = null;
    error.value = null;
    try {
      if (file.size > MAX_IMAGE_FILE_BYTES) {
        throw new Error(`${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MiB; an image for prediction can be at most ${MAX_IMAGE_FILE_BYTES / 2 ** 20} MiB`);
      }
      phase.value = 'reading';
      const bytes = new Uint8Array(await file.arrayBuffer());
      phase.value = 'preparing';
      const p = await preprocessing();
      const image = await lab.images.prepare({ name: file.name, bytes }, p);
      if (!current()) return;
      prepared.value = image;
      input.value = p.input;
      phase.value = 'predicting';
      const result = await predictOnWorker(run.id, run.checkpoint, [{ name: image.name, pixels: image.pixels }]);
      if (!current()) return;
      prediction.value = result.predictions[0] ?? null;
      checkpoint.value = result.checkpoint;
      phase.value = 'done';
    } catch (e) {
      if (!current()) return;
      error.value = (e as Error).message;
      phase.value = 'failed';
    }
  }

  return { phase, fileName, prepared, input, prediction, checkpoint, error, reset, predictFile };
});
