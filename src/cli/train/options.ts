// `convlab train` options: parsed, checked, and turned into the engine's TrainConfig pieces.

import { parseArgs } from 'node:util';
import { readFileSync, existsSync } from 'node:fs';
import type { ConvAlgorithm } from '../../engine/backend';
import type { ModelSpec } from '../../engine/model/spec';
import { parseJson } from '../../engine/model/parseJson';
import { parseText } from '../../engine/model/parseText';
import { MODEL_PRESETS, presetSpec } from '../../engine/model/presets';
import { DEFAULT_OPTIMIZER, type OptimizerConfig, type OptimizerName } from '../../engine/optim/optimizer';
import { parseSchedule, type ScheduleConfig } from '../../engine/optim/schedule';

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
  --early-stop N    end (as completed) after N epochs without a better validation accuracy
  --no-shuffle      the same batch order every epoch (PyTorch's shuffle=False)
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

export function parseTrainOptions(argv: string[]): TrainOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      data: { type: 'string' }, model: { type: 'string' }, epochs: { type: 'string' }, batch: { type: 'string' },
      lr: { type: 'string' }, optimizer: { type: 'string' }, momentum: { type: 'string' }, nesterov: { type: 'boolean' },
      'weight-decay': { type: 'string' }, schedule: { type: 'string' }, seed: { type: 'string' }, 'max-steps': { type: 'string' }, 'early-stop': { type: 'string' }, 'no-shuffle': { type: 'boolean' },
      'val-split': { type: 'string' }, name: { type: 'string' }, resume: { type: 'string' }, init: { type: 'string' }, home: { type: 'string' },
      backend: { type: 'string' }, 'conv-algo': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length) throw new Error(`unexpected argument "${positionals[0]}" (options start with --; see --help)`);
  const optimizerName = (values.optimizer ?? 'sgd') as OptimizerName;
  if (!['sgd', 'adam', 'adamw'].includes(optimizerName)) throw new Error(`--optimizer must be sgd, adam or adamw, got "${values.optimizer}"`);
  const backend = values.backend ?? 'webgpu';
  if (backend !== 'webgpu' && backend !== 'cpu') throw new Error(`--backend must be webgpu or cpu, got "${backend}"`);
  const convAlgo = (values['conv-algo'] ?? 'auto') as ConvAlgorithm;
  if (!['auto', 'im2col', 'implicit', 'direct'].includes(convAlgo)) throw new Error(`--conv-algo must be auto, im2col, implicit or direct, got "${values['conv-algo']}"`);
  const valSplit = values['val-split'] === undefined ? undefined : num(values['val-split'], '--val-split', 0, 0.99);
  return {
    data: values.data ?? 'builtin:fashion-mnist-mini',
    model: values.model ?? REFERENCE_MODEL,
    epochs: int(values.epochs ?? '3', '--epochs', 1),
    batch: int(values.batch ?? '64', '--batch', 1),
    lr: num(values.lr ?? '0.05', '--lr', 0, 100),
    optimizer: {
      ...DEFAULT_OPTIMIZER,
      name: optimizerName,
      momentum: optimizerName === 'sgd' ? num(values.momentum ?? '0.9', '--momentum', 0, 1) : 0,
      nesterov: values.nesterov ?? false,
      weightDecay: num(values['weight-decay'] ?? '0', '--weight-decay', 0, 1),
    },
    schedule: parseSchedule(values.schedule ?? 'constant'),
    seed: int(values.seed ?? '1', '--seed', 0),
    maxSteps: values['max-steps'] === undefined ? undefined : int(values['max-steps'], '--max-steps', 1),
    earlyStop: values['early-stop'] === undefined ? undefined : int(values['early-stop'], '--early-stop', 1),
    shuffle: !(values['no-shuffle'] ?? false),
    valSplit,
    name: values.name,
    resume: values.resume,
    init: values.init,
    home: values.home,
    backend,
    convAlgo,
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

/** A model text, a preset id or a JSON file, for the dataset's input shape. */
export function resolveModel(model: string, input: [number, number, number]): ModelSpec {
  if (MODEL_PRESETS.some((p) => p.id === model)) {
    const spec = presetSpec(model);
    if (spec.input.join() !== input.join()) {
      throw new Error(`preset "${model}" is made for ${spec.input.join('×')} inputs but the dataset has ${input.join('×')} images`);
    }
    return spec;
  }
  if (model.endsWith('.json') && existsSync(model)) {
    const spec = parseJson(readFileSync(model, 'utf8'));
    if (spec.input.join() !== input.join()) throw new Error(`${model} is made for ${spec.input.join('×')} inputs but the dataset has ${input.join('×')} images`);
    return spec;
  }
  return parseText(model, input);
}

function num(v: string, flag: string, min: number, max: number): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new Error(`${flag} must be a number from ${min} to ${max}, got "${v}"`);
  return n;
}

function int(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be a whole number ≥ ${min}, got "${v}"`);
  return n;
}
