// The RunSink and RunReader over the run store on disk: how `convlab train` (and sweeps) write
// a run the app opens. The app's worker writes the same records through the LabApi instead
// (src/renderer/src/worker/labRunSink.ts), which ends in this same store on the host side.
import type { RunReader, RunSink } from '../../../engine/train/runSink';
import type { NamedTensor } from '../../../engine/train/types';
import { toFloat32, type SafetensorsFile } from '../../../shared/formats/safetensors';
import type { RunStore, RunWriter } from '../runStore';

export interface StoreRunSink extends RunSink {
  /** The open writer, once create or reopen has run. */
  readonly writer: RunWriter | null;
}

export function storeRunSink(store: RunStore): StoreRunSink {
  let writer: RunWriter | null = null;
  const open = (): RunWriter => {
    if (!writer) throw new Error('the run is not created yet (RunSink.create or reopen comes first)');
    return writer;
  };
  return {
    get writer() {
      return writer;
    },
    async create(init) {
      writer = await store.create(init);
      return writer.id;
    },
    async reopen(id) {
      writer = await store.open(id);
    },
    appendMetrics(records) {
      const w = open();
      for (const record of records) w.appendMetrics(record);
    },
    async saveCheckpoint(name, tensors, metadata) {
      await open().saveCheckpoint(name, tensors.map((t) => ({ name: t.name, shape: t.shape, data: t.data })), metadata);
    },
    async saveEvaluation(name, report) {
      await store.saveEvaluation(open().id, name, report);
    },
    async updateSummary(partial) {
      await open().updateSummary({ ...partial });
    },
    async finish(status, summary) {
      const w = open();
      await w.flush();
      await w.finish(status, { ...summary });
    },
  };
}

export function storeRunReader(store: RunStore): RunReader {
  return {
    get: (id) => store.get(id),
    listCheckpoints: (id) => store.listCheckpoints(id),
    async readCheckpoint(id, name) {
      const file = await store.readCheckpoint(id, name);
      return { tensors: namedTensors(file), metadata: file.metadata };
    },
  };
}

/** A safetensors file's tensors as float32, in file order. */
export function namedTensors(file: SafetensorsFile): NamedTensor[] {
  return [...file.tensors].map(([name, t]) => ({ name, shape: t.shape, data: toFloat32(t) }));
}
