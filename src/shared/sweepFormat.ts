// A sweep as stored (docs/formats/sweep.md): <home>/sweeps/<id>/sweep.json holds what the sweep
// is — its spec, the base training setup and every run's parameters, fixed when it is created —
// and nothing about progress. Progress is read from the runs themselves (each carries
// config.sweep = {id, index, params} and the tag sweep:<id>), so a killed sweep can never
// disagree with its runs: whatever finished is finished, and the rest is what --resume does.
import { z } from 'zod';

export const SWEEP_RECORD_VERSION = 1;

/** `sw-YYYYMMDD-HHMMSS-xxxx`: creation time (UTC) and 4 random hex digits; never a path. */
export const SWEEP_ID_PATTERN = /^sw-\d{8}-\d{6}-[0-9a-f]{4}$/;

export interface SweepRecord {
  formatVersion: typeof SWEEP_RECORD_VERSION;
  id: string;
  name: string;
  createdAt: string;
  /** The sweep spec as given (convlab-sweep/1). */
  spec: unknown;
  /** What every run shares: the dataset, the model text, the engine's TrainConfig, the backend. */
  base: { data: string; model: string; config: Record<string, unknown> & { spec: unknown }; convAlgorithm: string; backend: 'webgpu' | 'cpu'; init?: string };
  /** Every run's parameters, in order; run i of the sweep is runs[i]. */
  runs: Array<{ index: number; params: Record<string, string | number | boolean> }>;
}

export const sweepRecordSchema = z.looseObject({
  formatVersion: z.literal(SWEEP_RECORD_VERSION),
  id: z.string().regex(SWEEP_ID_PATTERN),
  name: z.string().min(1).max(200),
  createdAt: z.iso.datetime({ offset: true }),
  spec: z.unknown(),
  base: z.looseObject({
    data: z.string(), model: z.string(), config: z.looseObject({ spec: z.unknown() }), convAlgorithm: z.string(),
    backend: z.enum(['webgpu', 'cpu']), init: z.string().optional(),
  }),
  runs: z.array(z.strictObject({ index: z.number().int().min(0), params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) })),
});

export function isSweepId(value: unknown): value is string {
  return typeof value === 'string' && SWEEP_ID_PATTERN.test(value);
}
