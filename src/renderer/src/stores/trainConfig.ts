// The engine's TrainConfig for the Train view's settings and model: what Start sends to the worker
// and what a sweep queued from the same form shares. A plain copy: the model store's spec is made
// of reactive proxies, which postMessage cannot clone.
import type { ModelSpec } from '../../../engine/model/spec';
import { DEFAULT_OPTIMIZER } from '../../../engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../../engine/optim/schedule';
import { isAugmenting } from '../../../engine/train/augment';
import type { TrainConfig } from '../../../engine/train/types';
import type { HyperParams } from './training';

export function trainConfigOf(p: HyperParams, spec: ModelSpec): TrainConfig {
  return {
    spec: JSON.parse(JSON.stringify(spec)) as ModelSpec,
    epochs: p.epochs,
    batchSize: p.batchSize,
    lr: p.lr,
    optimizer: { ...DEFAULT_OPTIMIZER, name: p.optimizer, momentum: p.optimizer === 'sgd' ? p.momentum : 0, weightDecay: p.weightDecay },
    schedule: { ...DEFAULT_SCHEDULE, kind: p.schedule },
    seed: p.seed,
    ...(p.maxSteps > 0 ? { maxSteps: p.maxSteps } : {}),
    shuffle: p.shuffle,
    ...(p.earlyStop > 0 ? { earlyStop: p.earlyStop } : {}),
    ...(isAugmenting(p.augment) ? { augment: JSON.parse(JSON.stringify(p.augment)) as TrainConfig['augment'] } : {}),
  };
}
