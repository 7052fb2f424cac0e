// The sweep job's messages (sweepJob.ts), kept beside protocol.ts, which joins them into its
// unions and validates them like every other message.
//
//   UI → worker   sweep {sweepId, maxRuns?, data | source}: run what the sweep has left, with the
//                 dataset given (desktop) or fetched by the worker itself (browser mode)
//   worker → UI   sweepRun (a run starts: its index, parameters, whether it resumes a run),
//                 sweepProgress (the current run's step, at most every 250 ms, and its state),
//                 sweepRunEnd (its run id, status, validation accuracy, the error of a failed run),
//                 sweepDone (every index's run and status; finished, or stopped by the user)
// Stop is the training 'stop' message: it stops the current run after its step and ends the sweep.

import { z } from 'zod';
import { RUN_ID_PATTERN } from '../../../shared/runFormat';
import { SWEEP_ID_PATTERN } from '../../../shared/sweepFormat';

type Param = string | number | boolean;

export type SweepFromWorker =
  | { type: 'sweepRun'; index: number; total: number; params: Record<string, Param>; resumed: boolean }
  | {
      type: 'sweepProgress'; index: number; runId: string; step: number; totalSteps: number; epoch: number; loss: number;
      state: 'preparing' | 'tuning' | 'running' | 'evaluating';
    }
  | { type: 'sweepRunEnd'; index: number; runId: string; status: string; valAccuracy: number; error?: string }
  | { type: 'sweepDone'; finished: boolean; stopped: boolean; runs: Array<{ index: number; runId: string | null; status: string }> };

export const sweepIdSchema = z.string().regex(SWEEP_ID_PATTERN, 'must be a sweep id');

// NaN is a real value here (a run that diverged, or no validation split), as in protocol.ts.
const num = z.custom<number>((v) => typeof v === 'number', 'expected a number (NaN and ±Infinity allowed)');
const index = z.number().int().min(0);
const param = z.union([z.string(), z.number(), z.boolean()]);
const runStatus = z.string().min(1).max(40);

export const sweepFromWorkerSchemas = [
  z.strictObject({ type: z.literal('sweepRun'), index, total: z.number().int().positive(), params: z.record(z.string(), param), resumed: z.boolean() }),
  z.strictObject({
    type: z.literal('sweepProgress'), index, runId: z.string().regex(RUN_ID_PATTERN), step: z.number().int().min(0), totalSteps: z.number().int().min(0),
    epoch: z.number().int().min(0), loss: num, state: z.enum(['preparing', 'tuning', 'running', 'evaluating']),
  }),
  z.strictObject({ type: z.literal('sweepRunEnd'), index, runId: z.string(), status: runStatus, valAccuracy: num, error: z.string().optional() }),
  z.strictObject({
    type: z.literal('sweepDone'), finished: z.boolean(), stopped: z.boolean(),
    runs: z.array(z.strictObject({ index, runId: z.string().regex(RUN_ID_PATTERN).nullable(), status: runStatus })),
  }),
] as const;
