// The kernel lab: the conformance self-test on this GPU and the worked example's numbers. Both
// run in the GPU worker (it owns the device); this store only collects what it reports.

import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { AdapterSummary } from '../../../engine/webgpu/device';
import type { FromWorker, SelfTestRow, WorkedExample } from '../worker/protocol';
import { gpuWorker } from '../worker/workerClient';

type JobState = 'idle' | 'running' | 'done' | 'failed';

export const useKernelLabStore = defineStore('kernelLab', () => {
  const adapter = ref<AdapterSummary | null>(null);
  const selfTestState = ref<JobState>('idle');
  const rows = ref<SelfTestRow[]>([]);
  const total = ref(0);
  const summary = ref<{ passed: number; failed: number } | null>(null);
  const selfTestError = ref<string | null>(null);

  const exampleState = ref<JobState>('idle');
  // Typed arrays inside: kept out of deep reactivity.
  const example = shallowRef<WorkedExample | null>(null);
  const exampleError = ref<string | null>(null);
  const stepIndex = ref(0);

  // A ref, not a plain variable: `busy` must recompute when a job starts or ends, so the
  // buttons are disabled while the worker is on the other job.
  const current = ref<'selfTest' | 'workedExample' | null>(null);
  let unlisten: (() => void) | null = null;

  const busy = computed(() => current.value !== null);

  function onMessage(m: FromWorker): void {
    if (current.value === null) return;
    switch (m.type) {
      case 'adapter':
        adapter.value = m.adapter;
        return;
      case 'selfTestCase':
        total.value = m.total;
        rows.value = [...rows.value, m.row];
        return;
      case 'selfTestDone':
        summary.value = { passed: m.passed, failed: m.failed };
        selfTestState.value = 'done';
        end();
        return;
      case 'workedExample':
        example.value = markRaw(m.example);
        exampleState.value = 'done';
        end();
        return;
      case 'error':
        if (m.job !== current.value && m.job !== null) return; // e.g. training's own errors
        if (current.value === 'selfTest') {
          selfTestError.value = m.message;
          selfTestState.value = 'failed';
        } else {
          exampleError.value = m.message;
          exampleState.value = 'failed';
        }
        end();
        return;
      default:
        return; // training messages belong to the training store
    }
  }

  function begin(job: 'selfTest' | 'workedExample'): void {
    current.value = job;
    unlisten?.();
    unlisten = gpuWorker.listen(onMessage);
    gpuWorker.send({ type: job });
  }

  function end(): void {
    current.value = null;
    unlisten?.();
    unlisten = null;
  }

  function runSelfTest(): void {
    if (busy.value) return;
    rows.value = [];
    total.value = 0;
    summary.value = null;
    selfTestError.value = null;
    selfTestState.value = 'running';
    begin('selfTest');
  }

  function runWorkedExample(): void {
    if (busy.value) return;
    exampleError.value = null;
    exampleState.value = 'running';
    begin('workedExample');
  }

  return {
    adapter, selfTestState, rows, total, summary, selfTestError, exampleState, example, exampleError, stepIndex, busy,
    runSelfTest, runWorkedExample,
  };
});
