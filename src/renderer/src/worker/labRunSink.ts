// The RunSink and RunReader over the LabApi: how the app's training session writes its run. The
// host behind the LabApi (Electron main, the browser host) writes the same run store that
// `convlab train` writes directly (src/main/services/runs/storeSink.ts).
//
// Metric records go in batches (MetricsBatcher: one call every ~500 ms instead of one per step);
// every other call first waits for the batches before it, so the log is in order and complete
// before a summary or the final status names it.

import type { RunReader, RunSink } from '../../../engine/train/runSink';
import type { NamedTensor } from '../../../engine/train/types';
import type { LabRequestApi } from '../../../shared/labApi';
import { MetricsBatcher } from './metricsBatcher';

type Runs = LabRequestApi['runs'];

export function labRunSink(runs: Runs): RunSink {
  let id: string | null = null;
  const runId = (): string => {
    if (id === null) throw new Error('the run is not created yet (RunSink.create or reopen comes first)');
    return id;
  };
  const batcher = new MetricsBatcher<object>((records) => runs.appendMetrics(runId(), records));
  return {
    async create(init) {
      id = (await runs.create({ ...init, config: { ...init.config }, adapter: init.adapter ?? undefined })).id;
      return id;
    },
    async reopen(existing) {
      await runs.reopen(existing);
      id = existing;
    },
    appendMetrics(records) {
      batcher.push(...records);
    },
    async saveCheckpoint(name, tensors, metadata) {
      await batcher.flush();
      await runs.saveCheckpoint(runId(), name, tensors.map(asBytes), metadata);
    },
    async saveEvaluation(name, report) {
      await runs.saveEvaluation(runId(), name, report);
    },
    async updateSummary(partial) {
      await batcher.flush();
      await runs.updateSummary(runId(), partial);
    },
    async finish(status, summary) {
      // The status is recorded even when the last metrics could not be: a run must not stay
      // 'running' because its log failed.
      const flushed = await batcher.close().then(() => null, (e: Error) => e);
      await runs.finish(runId(), status, flushed ? { ...summary, error: `some metrics were not saved: ${flushed.message}` } : { ...summary });
    },
  };
}

export function labRunReader(runs: Runs): RunReader {
  return {
    get: (id) => runs.get(id),
    listCheckpoints: (id) => runs.checkpoints(id),
    async readCheckpoint(id, name) {
      const c = await runs.readCheckpoint(id, name);
      return { tensors: c.tensors.map(asFloats), metadata: c.metadata };
    },
  };
}

function asBytes(t: NamedTensor): { name: string; shape: number[]; data: Uint8Array } {
  return { name: t.name, shape: [...t.shape], data: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) };
}

/** Float32 values of little-endian bytes (copied: the bytes may sit at an unaligned offset). */
function asFloats(t: { name: string; shape: number[]; data: Uint8Array }): NamedTensor {
  return { name: t.name, shape: t.shape, data: new Float32Array(Uint8Array.from(t.data).buffer) };
}
