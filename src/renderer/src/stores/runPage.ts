// The run page: which run is open (remembered for the window session, so a reload comes back to
// it), its manifest, metrics log and checkpoints, and which checkpoint the page acts on (export,
// evaluate, predict, continue). The metrics log can be long: it is kept in a shallowRef, read by
// runSeries() once per load, never deep-watched.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { CheckpointSummary } from '../../../shared/labApi';
import type { MetricsRecord, RunManifest } from '../../../shared/runFormat';
import { BEST_CHECKPOINT, isOptimizerCheckpoint, parsePreprocessing, type Preprocessing } from '../../../shared/runRecord';
import { lab } from '../lab';

const OPEN_KEY = 'convlab.openRun';

function stored(): string | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(OPEN_KEY);
  } catch {
    return null;
  }
}

function remember(id: string | null): void {
  try {
    if (id === null) sessionStorage?.removeItem(OPEN_KEY);
    else sessionStorage?.setItem(OPEN_KEY, id);
  } catch {
    // not remembering the open run is harmless
  }
}

export const useRunPageStore = defineStore('runPage', () => {
  const openId = ref<string | null>(stored());
  const manifest = ref<RunManifest | null>(null);
  const records = shallowRef<MetricsRecord[]>([]);
  const checkpoints = ref<CheckpointSummary[]>([]);
  /** The checkpoint the page's actions use; null until the run is loaded. */
  const checkpoint = ref<string | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** Bumped on every load, so the curves redraw from the new log. */
  const revision = ref(0);

  /** Model checkpoints only: the optimizer states beside them are for resuming, not for use. */
  const modelCheckpoints = computed(() => checkpoints.value.filter((c) => !isOptimizerCheckpoint(c.name)));

  /** The run's recorded preprocessing, or null for an older run (runs.model reconstructs it). */
  const preprocessing = computed<Preprocessing | null>(() => {
    const p = manifest.value?.preprocessing;
    if (p === undefined) return null;
    try {
      return parsePreprocessing(p, 'run manifest');
    } catch {
      return null;
    }
  });

  /** How to feed the model: the recorded preprocessing, else what runs.model reconstructs for an
   *  older run from its dataset (that call reads the weights too, so it is the fallback). */
  async function modelPreprocessing(): Promise<Preprocessing> {
    if (preprocessing.value) return preprocessing.value;
    if (!openId.value) throw new Error('No run is open');
    return (await lab.runs.model(openId.value, checkpoint.value ?? undefined)).preprocessing;
  }

  async function open(id: string): Promise<void> {
    if (openId.value !== id) {
      manifest.value = null;
      records.value = [];
      checkpoints.value = [];
      checkpoint.value = null;
    }
    openId.value = id;
    remember(id);
    await load();
  }

  async function load(): Promise<void> {
    const id = openId.value;
    if (id === null) return;
    loading.value = true;
    try {
      const [m, log, cps] = await Promise.all([lab.runs.get(id), lab.runs.metrics(id), lab.runs.checkpoints(id)]);
      if (openId.value !== id) return; // another run was opened meanwhile
      manifest.value = m;
      records.value = markRaw(log);
      checkpoints.value = cps;
      const names = cps.filter((c) => !isOptimizerCheckpoint(c.name)).map((c) => c.name);
      if (checkpoint.value === null || !names.includes(checkpoint.value)) {
        checkpoint.value = names.includes(BEST_CHECKPOINT) ? BEST_CHECKPOINT : (names.at(-1) ?? null);
      }
      error.value = null;
      revision.value++;
    } catch (e) {
      error.value = `Could not open run ${id}: ${(e as Error).message}`;
    } finally {
      loading.value = false;
    }
  }

  function close(): void {
    openId.value = null;
    manifest.value = null;
    records.value = [];
    checkpoints.value = [];
    checkpoint.value = null;
    error.value = null;
    remember(null);
  }

  return { openId, manifest, records, checkpoints, modelCheckpoints, checkpoint, preprocessing, loading, error, revision, modelPreprocessing, open, load, close };
});
