// `convlab train` options: parsed through the shared parser (src/cli/args.ts), checked, and turned
// into the engine's TrainConfig pieces.

import { readFileSync, existsSync } from 'node:fs';
import type { ConvAlgorithm } from '../../engine/backend';
import type { ModelSpec } from '../../engine/model/spec';
import { parseJson } from '../../engine/model/parseJson';
import { modelFromText } from '../../engine/model/modelFromText';
import { MODEL_PRESETS } from '../../engine/model/presets';
import { DEFAULT_OPTIMIZER, type OptimizerConfig, type OptimizerName } from '../../engine/optim/optimizer';
import { parseSchedule, type ScheduleConfig } from '../../engine/optim/schedule';
import { type AugmentSpec, isAugmenting, parseAugment } from '../../engine/train/augment';
import { booleanFlag, choiceFlag, expectPositionals, numberFlag, parseCommandArgs, parsedFlag, stringFlag, type FlagSpecs, type ParsedArgs } from '../args';

export const REFERENCE_MODEL = 'conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(10)';

export const TRAIN_HELP = `usage: convlab train [options]

With no options, trains the reference model on the embedded Fashion-MNIST subset.

  --data D          builtin:fashion-mnist-mini (default), a stored dataset id, IDX files
                    (IMAGES[,LABELS]; .gz too) or CIFAR-10 batches (a.bin,b.bin,...)
  --model M         model text (e.g. "${REFERENCE_MODEL}"),
                    a preset (${MODEL_PRESETS.map((p) => p.id).join(', ')}) or a JSON spec file
  --epochs N        epochs (default 3)
  --batch N         batch size (default 64)
  --lr X            learning rate (default 0.05)
  --optimizer O     sgd (default), adam or adamw
  --momentum X      SGD momentum (default 0.9)
  --nesterov        Nesterov momentum
  --weight-decay X  weight decay (default 0)
  --schedule S      constant (default), step:EPOCHS:GAMMA or cosine[:MIN_LR], optionally +warmup:STEPS
  --seed N          seed for initial weights, shuffling and dropout (default 1)
  --max-steps N     stop after N steps
  --early-stop P    patience: end (as completed) after P epochs in a row without a better
                    validation accuracy
  --no-shuffle      the same batch order every epoch (PyTorch's shuffle=False)
  --label-smoothing X  cross-entropy label smoothing, 0 to below 1 (default 0)
  --augment A       augment the training batches on the device (never validation), a list of
                    flip, crop:PAD, rrc:MIN_SCALE, jitter:STRENGTH, e.g. flip,crop:4
                    (default none; exact semantics: docs/formats/augmentation.md)
  --val-split F     validation fraction when --data imports files (default 0.1)
  --name NAME       run name
  --resume RUN_ID   continue a run from its last checkpoint, with its own settings, to its
                    configured epochs (--max-steps still caps the total)
  --init FILE       start from the weights of a safetensors checkpoint (PyTorch nn.Sequential
                    names, e.g. exported by 'convlab runs export' or torch's save_file) to fine-tune
  --home DIR        data folder (default: CONVLAB_HOME, else the app's per-user folder)
  --backend B       webgpu (default) or cpu (the float64 reference: slow but works anywhere)
  --conv-algo A     auto (default: each layer and phase timed on first use, cached per adapter in
                    HOME/cache/autotune.json), im2col, implicit or direct
  --json            print the result as one JSON object on the last line`;

export interface TrainOptions {
  data: string;
  model: string;
  epochs: number;
  batch: number;
  lr: number;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
  seed: number;
  maxSteps?: number;
  earlyStop?: number;
  shuffle: boolean;
  labelSmoothing?: number;
  /** Absent: no augmentation. */
  augment?: AugmentSpec;
  valSplit?: number;
  name?: string;
  resume?: string;
  init?: string;
  home?: string;
  backend: 'webgpu' | 'cpu';
  convAlgo: ConvAlgorithm;
  json: boolean;
  help: boolean;
}

/** Every flag `convlab train` takes; TRAIN_HELP above describes them. */
export const TRAIN_FLAGS: FlagSpecs = {
  data: { type: 'string' }, model: { type: 'string' }, epochs: { type: 'string' }, batch: { type: 'string' },
  lr: { type: 'string' }, optimizer: { type: 'string' }, momentum: { type: 'string' }, nesterov: { type: 'boolean' },
  'weight-decay': { type: 'string' }, schedule: { type: 'string' }, seed: { type: 'string' }, 'max-steps': { type: 'string' },
  'early-stop': { type: 'string' }, 'no-shuffle': { type: 'boolean' }, 'label-smoothing': { type: 'string' }, augment: { type: 'string' }, 'val-split': { type: 'string' }, name: { type: 'string' },
  resume: { type: 'string' }, init: { type: 'string' }, home: { type: 'string' }, backend: { type: 'string' },
  'conv-algo': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
};

const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'adam', 'adamw'];
const CONV_ALGORITHMS: readonly ConvAlgorithm[] = ['auto', 'im2col', 'implicit', 'direct'];

/** Parses and checks the flags; any mistake is a UsageError (exit status 2). */
export function parseTrainOptions(argv: string[]): TrainOptions {
  const args = parseCommandArgs(argv, TRAIN_FLAGS);
  expectPositionals(args.positionals, [], 'convlab train [options] (see convlab train --help)');
  const optimizerName = choiceFlag(args, 'optimizer', OPTIMIZERS) ?? 'sgd';
  return {
    data: stringFlag(args, 'data') ?? 'builtin:fashion-mnist-mini',
    model: stringFlag(args, 'model') ?? REFERENCE_MODEL,
    epochs: numberFlag(args, 'epochs', { integer: true, min: 1 }) ?? 3,
    batch: numberFlag(args, 'batch', { integer: true, min: 1 }) ?? 64,
    lr: numberFlag(args, 'lr', { min: 0, max: 100 }) ?? 0.05,
    optimizer: {
      ...DEFAULT_OPTIMIZER,
      name: optimizerName,
      momentum: optimizerName === 'sgd' ? (numberFlag(args, 'momentum', { min: 0, max: 1 }) ?? 0.9) : 0,
      nesterov: booleanFlag(args, 'nesterov'),
      weightDecay: numberFlag(args, 'weight-decay', { min: 0, max: 1 }) ?? 0,
    },
    schedule: parsedFlag(args, 'schedule', parseSchedule) ?? parseSchedule('constant'),
    seed: numberFlag(args, 'seed', { integer: true, min: 0 }) ?? 1,
    maxSteps: numberFlag(args, 'max-steps', { integer: true, min: 1 }),
    earlyStop: numberFlag(args, 'early-stop', { integer: true, min: 1 }),
    shuffle: !booleanFlag(args, 'no-shuffle'),
    labelSmoothing: numberFlag(args, 'label-smoothing', { min: 0, max: 1, maxExclusive: true }),
    augment: augmentFlag(args),
    valSplit: numberFlag(args, 'val-split', { min: 0, max: 0.99 }),
    name: stringFlag(args, 'name'),
    resume: stringFlag(args, 'resume'),
    init: stringFlag(args, 'init'),
    home: stringFlag(args, 'home'),
    backend: choiceFlag(args, 'backend', ['webgpu', 'cpu'] as const) ?? 'webgpu',
    convAlgo: choiceFlag(args, 'conv-algo', CONV_ALGORITHMS) ?? 'auto',
    json: booleanFlag(args, 'json'),
    help: booleanFlag(args, 'help'),
  };
}

/** --augment as a spec, or undefined for none ("none" included). */
function augmentFlag(args: ParsedArgs): AugmentSpec | undefined {
  const spec = parsedFlag(args, 'augment', parseAugment);
  return isAugmenting(spec) ? spec : undefined;
}

/** A model text, a preset id or a JSON file, for the dataset's input shape (and class count, for a preset). */
export function resolveModel(model: string, input: [number, number, number], classes = 10): ModelSpec {
  // A preset takes the dataset's image shape and class count (its last linear is sized to them).
  if (!model.endsWith('.json') || !existsSync(model)) return modelFromText(model, input, classes);
  const spec = parseJson(readFileSync(model, 'utf8'));
  if (spec.input.join() !== input.join()) throw new Error(`${model} is made for ${spec.input.join('×')} inputs but the dataset has ${input.join('×')} images`);
  return spec;
}
