// Sweeps: the sweep form of the Train view, the sweep being run, and the sweeps stored in this
// home. The GPU worker runs a sweep (worker job 'sweep', the engine's runSweep); this store makes
// it (lab.sweeps.create checks every run again on the host), starts and stops it, and follows its
// runs for the progress line: current run, done, remaining, time left.
//
// Where a sweep stands is always read back from its runs (lab.sweeps.runs), so resuming a sweep
// that was stopped, or interrupted by a reload (the host marks the current run interrupted when
// the page goes away), is simply running it again: ended runs are skipped and the interrupted one
// continues from its last checkpoint. The sweep being run is remembered in sessionStorage, so
// after a reload the Train view and Runs offer to resume it.

import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';
import type { SweepSummary } from '../../../shared/labApi';
import type { SweepRecord } from '../../../shared/sweepFormat';
import { draftSweep, type SweepDraft, type SweepForm } from '../components/sweeps/sweepDraft';
import { trainConfigOf as baseTrainConfig } from './trainConfig';
import { countDone, sweepEta, type SweepSlot } from '../components/sweeps/sweepProgress';
import { lab, labSocketForWorkers } from '../lab';
import type { FromWorker, ToWorker } from '../worker/protocol';
import { trainDataOf } from '../worker/trainData';
import { gpuWorker } from '../worker/workerClient';
import { useDatasetsStore } from './datasets';
import { useModelStore } from './model';
import { useRunsStore } from './runs';
import { useTrainingStore } from './training';
import { confirmLeavingWhile, rememberedId } from './pageSession';

export type SweepStatus = 'idle' | 'queuing' | 'running' | 'stopping' | 'finished' | 'stopped' | 'failed' | 'interrupted';

export interface CurrentSweepRun {
  index: number;
  params: SweepSlot['params'];
  resumed: boolean;
  runId: string | null;
  step: number;
  startStep: number;
  totalSteps: number;
  state: 'preparing' | 'tuning' | 'running' | 'evaluating';
  /** Date.now() when it started. */
  startedAt: number;
}

const ACTIVE: readonly SweepStatus[] = ['queuing', 'running', 'stopping'];
/** sessionStorage key of the sweep this page is running (cleared when it ends). */
const ACTIVE_SWEEP_KEY = 'convlab.sweep';

export const useSweepsStore = defineStore('sweeps', () => {
  const training = useTrainingStore();
  const datasets = useDatasetsStore();
  const model = useModelStore();
  const runsList = useRunsStore();

  /** Whether the Train view shows the sweep form (it shows the sweep itself whenever there is one). */
  const formOpen = ref(false);
  const form = reactive<SweepForm>({ method: 'grid', count: 8, seed: 1, values: {} });
  const name = ref('');
  const sweep = shallowRef<SweepRecord | null>(null);
  const slots = ref<SweepSlot[]>([]);
  const status = ref<SweepStatus>('idle');
  const error = ref<string | null>(null);
  const current = ref<CurrentSweepRun | null>(null);
  /** Seconds each run took that this page saw start and end (for the estimate). */
  const finishedSeconds = ref<number[]>([]);
  const list = ref<SweepSummary[]>([]);
  const listError = ref<string | null>(null);
  /** Ticks once a second while a sweep runs, so the time left counts down between messages. */
  const now = ref(Date.now());
  let ticker: ReturnType<typeof setInterval> | null = null;
  let unlisten: (() => void) | null = null;
  let restored = false;

  const active = computed(() => ACTIVE.includes(status.value));
  const activeId = rememberedId(ACTIVE_SWEEP_KEY);
  const done = computed(() => countDone(slots.value));
  const total = computed(() => slots.value.length);
  const remaining = computed(() => total.value - done.value);
  const eta = computed(() => {
    const c = current.value;
    const live = c ? { index: c.index, elapsed: (now.value - c.startedAt) / 1000, step: c.step, startStep: c.startStep, totalSteps: c.totalSteps } : null;
    return status.value === 'running' || status.value === 'stopping' ? sweepEta(slots.value, finishedSeconds.value, live) : null;
  });

  /** The sweep the form describes, checked run by run; or why it cannot be queued. */
  const draft = computed<SweepDraft>(() => {
    const d = datasets.selected;
    if (training.blocker || !d) return { ok: false, error: training.blocker ?? 'Choose a dataset first (Datasets view).' };
    const base = baseTrainConfig(training.params, model.spec);
    return draftSweep(form, base, { name: d.name, channels: d.channels, height: d.height, width: d.width, classes: d.classes, valCount: d.split?.val ?? null });
  });

  async function queue(): Promise<void> {
    const d = draft.value;
    const dataset = datasets.selected;
    if (active.value || training.active || !d.ok || !dataset) return;
    status.value = 'queuing';
    error.value = null;
    try {
      const record = await lab.sweeps.create(d.spec, {
        data: dataset.id, model: model.text, config: baseTrainConfig(training.params, model.spec) as unknown as Record<string, unknown>,
        convAlgorithm: training.params.convAlgorithm, ...(name.value.trim() ? { name: name.value.trim() } : {}),
      });
      await run(record);
    } catch (e) {
      status.value = 'idle';
      error.value = (e as Error).message;
    }
  }

  /** Runs what a stored sweep has left (a stopped or interrupted one continues in place). */
  async function resume(id: string): Promise<void> {
    if (active.value || training.active) return;
    status.value = 'queuing';
    error.value = null;
    try {
      await run(await lab.sweeps.get(id));
    } catch (e) {
      status.value = sweep.value?.id === id ? 'interrupted' : 'idle';
      error.value = `Could not resume sweep ${id}: ${(e as Error).message}`;
    }
  }

  async function run(record: SweepRecord): Promise<void> {
    sweep.value = record;
    current.value = null;
    finishedSeconds.value = [];
    await readSlots(record, true);
    const message: ToWorker = labSocketForWorkers !== null
      ? { type: 'sweep', sweepId: record.id, source: { labSocketUrl: labSocketForWorkers, datasetId: record.base.data } }
      : { type: 'sweep', sweepId: record.id, data: trainDataOf(await lab.datasets.tensors(record.base.data)) };
    unlisten?.();
    unlisten = gpuWorker.listen(onMessage);
    status.value = 'running';
    activeId.remember(record.id);
    startTicking();
    gpuWorker.send(message);
  }

  /** Every index's run as the host has it. Just after a reload the interrupted run may still say
   *  running for a moment (the host notices the old page is gone), so `settle` waits briefly. */
  async function readSlots(record: SweepRecord, settle: boolean): Promise<void> {
    let states = await lab.sweeps.runs(record.id);
    for (let i = 0; settle && i < 20 && states.some((s) => s.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      states = await lab.sweeps.runs(record.id);
    }
    const byIndex = new Map(states.map((s) => [s.index, s]));
    slots.value = record.runs.map((r) => ({ index: r.index, params: r.params, runId: byIndex.get(r.index)?.id ?? null, status: byIndex.get(r.index)?.status ?? 'pending' }));
  }

  function setSlot(index: number, patch: Partial<SweepSlot>): void {
    slots.value = slots.value.map((s) => (s.index === index ? { ...s, ...patch } : s));
  }

  function onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'sweepRun':
        current.value = { index: m.index, params: m.params, resumed: m.resumed, runId: null, step: 0, startStep: 0, totalSteps: 0, state: 'preparing', startedAt: Date.now() };
        setSlot(m.index, { status: 'running' });
        return;
      case 'sweepProgress': {
        const c = current.value;
        if (!c || c.index !== m.index) return;
        const first = c.runId === null;
        current.value = { ...c, runId: m.runId, step: m.step, totalSteps: m.totalSteps, state: m.state, startStep: first ? m.step : c.startStep };
        if (first) setSlot(m.index, { runId: m.runId });
        return;
      }
      case 'sweepRunEnd': {
        const c = current.value;
        if (c && c.index === m.index && m.status !== 'stopped') finishedSeconds.value = [...finishedSeconds.value, (Date.now() - c.startedAt) / 1000];
        setSlot(m.index, { status: m.status, runId: m.runId || null });
        current.value = null;
        // A run table already shown gets the finished run without a Refresh.
        if (runsList.loaded) void runsList.refresh();
        return;
      }
      case 'sweepDone':
        for (const r of m.runs) setSlot(r.index, { runId: r.runId, status: r.status });
        end(m.finished ? 'finished' : 'stopped');
        return;
      case 'state':
        if (m.state === 'stopping' && status.value === 'running') status.value = 'stopping';
        return;
      case 'error':
        if (m.job !== 'sweep' && m.job !== null) return;
        if (!active.value) return;
        error.value = m.message;
        if (m.kind === 'busy') {
          status.value = 'idle';
          stopListening();
          return;
        }
        end('failed');
        return;
      default:
        return;
    }
  }

  function end(final: SweepStatus): void {
    status.value = final;
    current.value = null;
    activeId.forget();
    stopListening();
    stopTicking();
    void refreshList();
  }

  function stopListening(): void {
    unlisten?.();
    unlisten = null;
  }

  function startTicking(): void {
    stopTicking();
    ticker = setInterval(() => (now.value = Date.now()), 1000);
  }
  function stopTicking(): void {
    if (ticker !== null) clearInterval(ticker);
    ticker = null;
  }

  /** Ends the current run after its step (recorded as stopped) and then the sweep. */
  function stop(): void {
    if (status.value === 'running') gpuWorker.send({ type: 'stop' });
  }

  async function refreshList(): Promise<void> {
    try {
      list.value = await lab.sweeps.list();
      listError.value = null;
    } catch (e) {
      listError.value = `Could not list sweeps: ${(e as Error).message}`;
    }
  }

  /** The sweep this page was running when it was reloaded, with where it stands (once per page). */
  async function restoreAfterReload(): Promise<void> {
    if (restored) return;
    restored = true;
    const id = activeId.read();
    if (!id || active.value) return;
    try {
      const record = await lab.sweeps.get(id);
      sweep.value = record;
      await readSlots(record, true);
      status.value = countDone(slots.value) === record.runs.length ? 'finished' : 'interrupted';
    } catch {
      // the sweep is gone (deleted by hand): nothing to offer
    } finally {
      activeId.forget();
    }
  }

  // Leaving or reloading interrupts the current run (what it saved is kept): ask first.
  confirmLeavingWhile(active);

  return {
    formOpen, form, name, draft, sweep, slots, status, error, current, finishedSeconds, list, listError, active, done, total, remaining, eta,
    queue, resume, stop, refreshList, restoreAfterReload,
  };
});
