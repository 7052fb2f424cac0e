// Inspect: one image through a run's model, every layer's output and the gradients of a chosen
// class score (the GPU worker's inspect job, src/engine/inspect as `convlab inspect` runs it).
//
// Other views hand an image over with the navigation store's inspect({runId, checkpoint, image})
// (image: a dataset's image by index, or a file's prepared pixels); the Inspect view passes it to
// open(). The page never shows maps of an image it has left: a new image, run, checkpoint or
// target clears the result at once, only the newest request's answer is kept (`generation`), and
// while one inspection runs a newer request waits and replaces any other waiting one.
//
// Results hold typed arrays, so they live in shallowRefs (markRaw): nothing deep-watches them.
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { GradTarget, Inspection } from '../../../engine/inspect/types';
import type { CheckpointSummary } from '../../../shared/labApi';
import { MAX_IMAGE_FILE_BYTES } from '../../../shared/labSchemas';
import type { Preprocessing } from '../../../shared/runRecord';
import { inspectOnWorker } from '../components/inspect/inspectOnWorker';
import { pngOfPixels } from '../components/predict/pngOfPixels';
import { lab } from '../lab';
import type { InspectTargetRequest } from '../worker/inspectMessages';
import type { InspectImage } from './navigation';

/** The image on the page: pixels at the model's input size and, when known, its true class. */
export interface InspectedImage {
  name: string;
  pixels: Uint8Array;
  /** Index in the run's classes; null for a file (no label). */
  label: number | null;
  /** Where it came from, for the heading: 'image 12 of Fashion-MNIST', 'shoe.png'. */
  origin: string;
  /** A dataset image's place, so the picker can show it. */
  dataset?: { id: string; index: number };
}

export interface InspectResult {
  runId: string;
  checkpoint: string;
  image: InspectedImage;
  target: GradTarget;
  inspection: Inspection;
}

/** A clicked conv output: module path, channel, row, column. */
export interface OutputPick {
  path: string;
  o: number;
  oh: number;
  ow: number;
}

export type InspectStatus = 'idle' | 'preparing' | 'running' | 'done' | 'failed';

export const useInspectStore = defineStore('inspect', () => {
  const runId = ref<string | null>(null);
  /** The checkpoint asked for; null = the run's default (best, else the newest). */
  const checkpoint = ref<string | null>(null);
  const checkpoints = ref<CheckpointSummary[]>([]);
  const preprocessing = shallowRef<Preprocessing | null>(null);
  const datasetId = ref<string | null>(null);
  const image = shallowRef<InspectedImage | null>(null);
  const target = ref<InspectTargetRequest>({ kind: 'top' });
  const result = shallowRef<InspectResult | null>(null);
  const status = ref<InspectStatus>('idle');
  const error = ref<string | null>(null);
  const pick = ref<OutputPick | null>(null);
  const sharedScale = ref(true);
  let generation = 0;
  let running: Promise<void> | null = null;
  let waiting: (() => Promise<void>) | null = null;

  function clearResult(): void {
    generation++;
    result.value = null;
    pick.value = null;
  }

  /** Switches to a run (and checkpoint): its preprocessing, checkpoints and dataset. */
  async function selectRun(id: string, name: string | null = null): Promise<void> {
    if (id === runId.value && name === checkpoint.value && preprocessing.value) return;
    clearResult();
    const sameRun = id === runId.value;
    runId.value = id;
    checkpoint.value = name;
    if (!sameRun) image.value = null;
    error.value = null;
    status.value = 'preparing';
    try {
      const [manifest, list, model] = await Promise.all([lab.runs.get(id), lab.runs.checkpoints(id), name ? lab.runs.model(id, name) : lab.runs.model(id)]);
      if (runId.value !== id) return;
      checkpoints.value = list;
      preprocessing.value = model.preprocessing;
      datasetId.value = manifest.dataset.id;
      status.value = 'idle';
    } catch (e) {
      if (runId.value !== id) return;
      preprocessing.value = null;
      fail(`Cannot inspect run ${id}: ${(e as Error).message}`);
    }
  }

  /** What the navigation store hands over: a run's checkpoint and one image. */
  async function open(request: { runId: string; checkpoint?: string | null; image?: InspectImage }): Promise<void> {
    await selectRun(request.runId, request.checkpoint ?? null);
    if (!request.image || !preprocessing.value) return;
    if (request.image.kind === 'dataset') await pickDataset(request.image.datasetId, request.image.index);
    else await usePixels({ name: request.image.name, pixels: request.image.pixels, label: null, origin: request.image.name });
  }

  /** Image `index` of a dataset, fitted to the model when it is stored at another size. */
  async function pickDataset(id: string, index: number): Promise<void> {
    const p = preprocessing.value;
    if (!p) return;
    clearResult();
    status.value = 'preparing';
    try {
      const got = await lab.datasets.images(id, [index]);
      const [c, h, w] = p.input;
      let pixels = got.images;
      if (got.channels !== c || got.height !== h || got.width !== w) {
        pixels = (await lab.images.prepare({ name: `image ${index}.png`, bytes: pngOfPixels(got.images, got.channels, got.height, got.width) }, p)).pixels;
      }
      const label = p.classes.indexOf(got.classes[got.labels[0]!] ?? '');
      await usePixels({ name: `image ${index}`, pixels, label: label >= 0 ? label : null, origin: `image ${index} of ${id}`, dataset: { id, index } });
    } catch (e) {
      fail(`Cannot read image ${index} of ${id}: ${(e as Error).message}`);
    }
  }

  /** A dropped or chosen file, decoded and fitted by the services (images.prepare). */
  async function pickFile(file: File): Promise<void> {
    const p = preprocessing.value;
    if (!p) return;
    clearResult();
    image.value = null;
    status.value = 'preparing';
    try {
      if (file.size > MAX_IMAGE_FILE_BYTES) throw new Error(`it is ${(file.size / 2 ** 20).toFixed(1)} MiB; an image can be at most ${MAX_IMAGE_FILE_BYTES / 2 ** 20} MiB`);
      const prepared = await lab.images.prepare({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, p);
      await usePixels({ name: file.name, pixels: prepared.pixels, label: null, origin: file.name });
    } catch (e) {
      fail(`Cannot read ${file.name}: ${(e as Error).message}`);
    }
  }

  async function usePixels(next: InspectedImage): Promise<void> {
    clearResult();
    image.value = markRaw(next);
    if (target.value.kind === 'loss' && next.label === null) target.value = { kind: 'top' };
    await inspectNow();
  }

  async function setTarget(next: InspectTargetRequest): Promise<void> {
    target.value = next;
    clearResult();
    await inspectNow();
  }

  async function setCheckpoint(name: string | null): Promise<void> {
    if (!runId.value) return;
    const keep = image.value;
    await selectRun(runId.value, name);
    if (keep && preprocessing.value) await usePixels(keep);
  }

  /** Runs the inspection of the current image; a request made while one runs waits for it. */
  function inspectNow(): Promise<void> {
    const id = runId.value;
    const img = image.value;
    if (!id || !img) return Promise.resolve();
    // A plain copy: the ref's reactive proxy cannot cross postMessage.
    const wanted: InspectTargetRequest = { ...target.value };
    const mine = ++generation;
    status.value = 'running';
    error.value = null;
    const job = async (): Promise<void> => {
      if (mine !== generation) return;
      try {
        const answer = await inspectOnWorker({ runId: id, ...(checkpoint.value ? { checkpoint: checkpoint.value } : {}), image: img, target: wanted });
        if (mine !== generation) return;
        result.value = markRaw({ runId: id, checkpoint: answer.checkpoint, image: img, target: answer.target, inspection: answer.inspection });
        status.value = 'done';
      } catch (e) {
        if (mine === generation) fail(`Inspection failed: ${(e as Error).message}`);
      }
    };
    if (running) {
      waiting = job;
      return running;
    }
    const drain = async (): Promise<void> => {
      let next: (() => Promise<void>) | null = job;
      while (next) {
        waiting = null;
        await next();
        next = waiting;
      }
      running = null;
    };
    running = drain();
    return running;
  }

  function fail(message: string): void {
    error.value = message;
    status.value = 'failed';
  }

  function select(next: OutputPick | null): void {
    pick.value = next;
  }

  return {
    runId, checkpoint, checkpoints, preprocessing, datasetId, image, target, result, status, error, pick, sharedScale,
    selectRun, open, pickDataset, pickFile, usePixels, setTarget, setCheckpoint, inspectNow, select,
  };
});
