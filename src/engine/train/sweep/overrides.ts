// What a sweep may vary and how one run's parameters change the base training setup. Keys are the
// `convlab train` option names; each value is checked with the rule that option has, so a value
// the trainer would refuse stops the sweep before its first run, naming the key and the value.

import { parseSchedule } from '../../optim/schedule';
import type { ModelSpec } from '../../model/spec';
import { parseAugment } from '../augment';
import type { TrainConfig } from '../types';
import { SweepSpecError, type SweepParams } from './sweepSpec';

type Raw = string | number | boolean;

interface Rule {
  what: string;
  apply(config: TrainConfig, value: Raw): void;
}

const whole = (min: number) => (key: string, v: Raw): number => {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < min) throw new SweepSpecError(`${key}=${String(v)}: must be a whole number ≥ ${min}`);
  return n;
};
const real = (min: number, max: number, maxExclusive = false) => (key: string, v: Raw): number => {
  const n = typeof v === 'number' ? v : Number(v);
  if (typeof v === 'boolean' || !Number.isFinite(n) || n < min || (maxExclusive ? n >= max : n > max)) {
    throw new SweepSpecError(`${key}=${String(v)}: must be a number from ${min} to ${maxExclusive ? `below ${max}` : max}`);
  }
  return n;
};
const bool = (key: string, v: Raw): boolean => {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new SweepSpecError(`${key}=${String(v)}: must be true or false`);
};
const text = (v: Raw): string => String(v);

/** The options a sweep can vary, with the rule of each (the same ranges `convlab train` enforces). */
export const SWEEPABLE: Record<string, Rule> = {
  lr: { what: 'learning rate', apply: (c, v) => void (c.lr = real(0, 100)('lr', v)) },
  batch: { what: 'batch size', apply: (c, v) => void (c.batchSize = whole(1)('batch', v)) },
  epochs: { what: 'epochs', apply: (c, v) => void (c.epochs = whole(1)('epochs', v)) },
  seed: { what: 'seed', apply: (c, v) => void (c.seed = whole(0)('seed', v)) },
  optimizer: {
    what: 'optimizer (sgd, adam, adamw)',
    apply: (c, v) => {
      if (v !== 'sgd' && v !== 'adam' && v !== 'adamw') throw new SweepSpecError(`optimizer=${String(v)}: must be sgd, adam or adamw`);
      // As `convlab train`: momentum is SGD's; Adam keeps its betas.
      c.optimizer = { ...c.optimizer, name: v, momentum: v === 'sgd' ? (c.optimizer.momentum || 0.9) : 0, nesterov: v === 'sgd' && c.optimizer.nesterov };
    },
  },
  momentum: { what: 'SGD momentum', apply: (c, v) => void (c.optimizer = { ...c.optimizer, momentum: real(0, 1)('momentum', v) }) },
  'weight-decay': { what: 'weight decay', apply: (c, v) => void (c.optimizer = { ...c.optimizer, weightDecay: real(0, 1)('weight-decay', v) }) },
  nesterov: { what: 'Nesterov momentum', apply: (c, v) => void (c.optimizer = { ...c.optimizer, nesterov: bool('nesterov', v) }) },
  schedule: {
    what: 'learning-rate schedule',
    apply: (c, v) => {
      try {
        c.schedule = parseSchedule(text(v));
      } catch (e) {
        throw new SweepSpecError(`schedule=${String(v)}: ${(e as Error).message}`);
      }
    },
  },
  'max-steps': { what: 'step cap', apply: (c, v) => void (c.maxSteps = whole(1)('max-steps', v)) },
  'early-stop': { what: 'early-stopping patience', apply: (c, v) => void (c.earlyStop = whole(1)('early-stop', v)) },
  'label-smoothing': { what: 'label smoothing', apply: (c, v) => void (c.labelSmoothing = real(0, 1, true)('label-smoothing', v)) },
  shuffle: { what: 'shuffling', apply: (c, v) => void (c.shuffle = bool('shuffle', v)) },
  augment: {
    what: 'augmentation',
    apply: (c, v) => {
      try {
        c.augment = parseAugment(text(v));
      } catch (e) {
        throw new SweepSpecError(`augment=${String(v)}: ${(e as Error).message}`);
      }
    },
  },
  model: { what: 'model (text, preset or JSON file)', apply: () => undefined }, // resolved by the host: it knows presets and files
};

/** Keys a sweep spec may not name, with why (they are not hyperparameters of one run). */
const NOT_SWEEPABLE: Record<string, string> = {
  data: 'a sweep trains on one dataset (give it with --data)',
  home: 'every run of a sweep goes to one home', resume: 'use convlab sweep --resume ID', init: 'give --init to the sweep itself',
  name: 'runs are named after the sweep', backend: 'a sweep runs on one backend', json: 'not a training option', help: 'not a training option',
};

/** Refuses unknown keys before anything runs, listing what can be swept. */
export function checkSweepKeys(keys: readonly string[]): void {
  for (const key of keys) {
    if (key in SWEEPABLE) continue;
    if (key in NOT_SWEEPABLE) throw new SweepSpecError(`"${key}" cannot be swept: ${NOT_SWEEPABLE[key]}`);
    throw new SweepSpecError(`unknown option "${key}" (a sweep can vary: ${Object.keys(SWEEPABLE).join(', ')})`);
  }
}

/** One run's TrainConfig: the base with this run's parameters applied (and its model resolved). */
export function applySweepParams(base: TrainConfig, params: SweepParams, resolveModel: (text: string) => ModelSpec): TrainConfig {
  checkSweepKeys(Object.keys(params));
  const config: TrainConfig = structuredClone(base);
  for (const [key, value] of Object.entries(params)) {
    if (key === 'model') {
      try {
        config.spec = resolveModel(String(value));
      } catch (e) {
        throw new SweepSpecError(`model=${String(value)}: ${(e as Error).message}`);
      }
    } else SWEEPABLE[key]!.apply(config, value);
  }
  if (config.optimizer.nesterov && (config.optimizer.name !== 'sgd' || config.optimizer.momentum <= 0)) {
    throw new SweepSpecError(`${describeParams(params)}: Nesterov momentum needs optimizer sgd with momentum > 0`);
  }
  return config;
}

/** `lr=0.03 batch=64`: how a run of a sweep is named and listed. */
export function describeParams(params: SweepParams): string {
  return Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
}
