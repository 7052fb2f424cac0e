// Learning-rate schedules, evaluated on the CPU once per step: constant, step decay, cosine,
// each optionally after a linear warm-up. Mirrors torch.optim.lr_scheduler's StepLR (per epoch),
// CosineAnnealingLR (per step here, to the end of training) and a LinearLR warm-up from 0.

export type ScheduleKind = 'constant' | 'step' | 'cosine';

export interface ScheduleConfig {
  kind: ScheduleKind;
  /** StepLR: multiply by gamma every stepEpochs epochs. */
  stepEpochs: number;
  gamma: number;
  /** Cosine: the floor reached at the last step. */
  minLr: number;
  /** Linear warm-up over the first warmupSteps steps (0 = none). */
  warmupSteps: number;
}

export const DEFAULT_SCHEDULE: ScheduleConfig = { kind: 'constant', stepEpochs: 1, gamma: 0.1, minLr: 0, warmupSteps: 0 };

export function learningRate(base: number, s: ScheduleConfig, step: number, epoch: number, totalSteps: number): number {
  let lr = base;
  if (s.kind === 'step') lr = base * Math.pow(s.gamma, Math.floor(epoch / Math.max(1, s.stepEpochs)));
  else if (s.kind === 'cosine') {
    const span = Math.max(1, totalSteps - s.warmupSteps);
    const t = Math.min(1, Math.max(0, step - s.warmupSteps) / span);
    lr = s.minLr + ((base - s.minLr) * (1 + Math.cos(Math.PI * t))) / 2;
  }
  if (s.warmupSteps > 0 && step < s.warmupSteps) lr *= (step + 1) / s.warmupSteps;
  return lr;
}

/** Parse `constant`, `step:EPOCHS:GAMMA`, `cosine[:MIN_LR]`, each optionally `+warmup:STEPS`. */
export function parseSchedule(text: string): ScheduleConfig {
  const [main, ...mods] = text.split('+');
  const parts = (main ?? '').split(':');
  const out: ScheduleConfig = { ...DEFAULT_SCHEDULE };
  const num = (v: string | undefined, what: string): number => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n) || n < 0) throw new Error(`schedule "${text}": ${what} must be a non-negative number, got "${v ?? ''}"`);
    return n;
  };
  switch (parts[0]) {
    case 'constant':
      break;
    case 'step':
      out.kind = 'step';
      if (parts[1] !== undefined) out.stepEpochs = Math.max(1, Math.round(num(parts[1], 'the step size in epochs')));
      if (parts[2] !== undefined) out.gamma = num(parts[2], 'gamma');
      break;
    case 'cosine':
      out.kind = 'cosine';
      if (parts[1] !== undefined) out.minLr = num(parts[1], 'the minimum learning rate');
      break;
    default:
      throw new Error(`unknown schedule "${parts[0]}" (use constant, step:EPOCHS:GAMMA or cosine[:MIN_LR], optionally +warmup:STEPS)`);
  }
  for (const m of mods) {
    const [k, v] = m.split(':');
    if (k !== 'warmup') throw new Error(`schedule "${text}": unknown modifier "${k}" (only +warmup:STEPS)`);
    out.warmupSteps = Math.round(num(v, 'warm-up steps'));
  }
  return out;
}
