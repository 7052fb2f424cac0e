// Tuning on the training steps themselves: what the trainer needs to know about it. The trainer
// asks before recording each step (so the tuner can have some conv phases or GEMMs run another
// candidate), says when the step's recording is over, and hands back that step's own kernel
// timings. Each of those steps is an ordinary training step — the candidates compute the same
// function — so nothing is thrown away. The WebGPU implementation is
// src/engine/webgpu/autotune/stepTuner.ts.

import type { CandidateTiming } from '../webgpu/autotune/autotuner';
import type { KernelTiming } from '../webgpu/profiler';

/** What one step times; travels with the step until its timings are back. */
export interface StepTrial {
  /** "layer phase: candidate" per problem this step times, '; '-separated; '' when the step only
   *  runs what it would anyway (the first step, or while candidates are being checked). */
  readonly description: string;
}

export interface StepTuning {
  /** Before the step of `batch` images (0-based `step`) is recorded; null: this step takes no
   *  part (tuning is over, or a short last batch, whose shapes are other problems). */
  beginStep(step: number, batch: number): StepTrial | null;
  /** The step's work is recorded (nothing else may pick candidates until the next beginStep). */
  endRecording(): void;
  /** The step's kernel timings (null when none came back). */
  observe(trial: StepTrial, timings: readonly KernelTiming[] | null): void;
}

/** What step tuning tells a host, for progress lines and the Train view. */
export type StepTuningEvent =
  /** The problems being timed are known (after the first full-batch step is recorded). */
  | { kind: 'start'; problems: string[] }
  /** One problem is decided: the choice and every candidate's median time. */
  | { kind: 'decided'; problem: string; choice: string; candidates: CandidateTiming[]; steps: number }
  /** Every problem is decided (and the choices are being stored); `steps` training steps timed them. */
  | { kind: 'done'; steps: number; seconds: number };
