// Where a training session's run goes. The session decides WHAT a run records (manifest fields,
// metric records, checkpoint names, summary keys: src/shared/runRecord.ts); a sink only decides
// WHERE: one implementation writes the run store directly (the CLI, sweeps), one sends LabApi
// calls (the app's worker, through the UI thread to Electron main or the browser host).

import type { EvaluationReport } from '../../shared/evaluation';
import type { Preprocessing, RunConfigRecord, RunSummary } from '../../shared/runRecord';
import type { NamedTensor } from './types';

/** The manifest fields a new run starts with. */
export interface RunInit {
  name?: string;
  config: RunConfigRecord;
  modelSpec: string;
  dataset: { id: string; name?: string };
  seed: number;
  adapter: Record<string, unknown> | null;
  versions: Record<string, string>;
  preprocessing: Preprocessing;
  /** Tags the run starts with (a sweep's runs carry `sweep:<id>`). */
  tags?: string[];
}

/** How a session ends, as the run records it. */
export type SessionStatus = 'completed' | 'stopped' | 'diverged' | 'failed';

export interface RunSink {
  /** Creates the run (called only once the session has accepted data, model and weights, so bad
   *  input leaves no run behind); resolves to its id. */
  create(init: RunInit): Promise<string>;
  /** Reopens an existing run for writing (resume); its status becomes 'running' again. */
  reopen(id: string): Promise<void>;
  /** Queues metric records ({kind: 'step' | 'epoch' | 'event', ...}); written in order. */
  appendMetrics(records: readonly object[]): void;
  /** Writes checkpoints/<name>.safetensors, replacing one of that name. */
  saveCheckpoint(name: string, tensors: readonly NamedTensor[], metadata: Record<string, string>): Promise<void>;
  /** Stores an evaluation of one of the run's checkpoints as evaluations/<name>.json. */
  saveEvaluation(name: string, report: EvaluationReport): Promise<void>;
  /** Merges into the manifest's summary (after the metrics queued so far are written). */
  updateSummary(partial: RunSummary): Promise<void>;
  /** Writes everything queued, records the final status and summary; the sink is done after. */
  finish(status: SessionStatus, summary: RunSummary): Promise<void>;
}

/** A stored run as a resume needs it: its manifest's fields and its checkpoints. */
export interface RunReader {
  get(id: string): Promise<{ id: string; status: string; config: unknown; modelSpec: string; seed: number; summary: Record<string, unknown>; preprocessing?: unknown; dataset: { id: string; name?: string } }>;
  readCheckpoint(id: string, name: string): Promise<{ tensors: NamedTensor[]; metadata: Record<string, string> }>;
  listCheckpoints(id: string): Promise<Array<{ name: string }>>;
}
