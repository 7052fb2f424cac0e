// `convlab train`: the same engine as the app, headless, on Dawn (or the CPU twins), writing a
// run the desktop app can open: manifest, metrics log, a safetensors checkpoint per epoch.

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { CpuBackend } from '../../engine/cpu/cpuBackend';
import type { Backend } from '../../engine/backend';
import { formatText } from '../../engine/model/formatText';
import { inferShapes } from '../../engine/model/infer';
import { checkBatchFits } from '../../engine/train/memory';
import { TrainControl } from '../../engine/train/control';
import { Trainer } from '../../engine/train/trainer';
import { type StepTimer, WallClockTimer, gpuStepTimer } from '../../engine/train/timer';
import type { NamedTensor, TrainConfig } from '../../engine/train/types';
import { WebGpuBackend } from '../../engine/webgpu/webgpuBackend';
import { tuneModel } from '../../engine/webgpu/autotune/tuneModel';
import { describeConvChoices } from '../../engine/webgpu/ops/convAlgorithmsChoice';
import type { Sequential } from '../../engine/nn/sequential';
import { FileAutotuneStore } from '../bench/fileAutotuneStore';
import { resolveHome } from '../../main/services/home';
import { RunStore } from '../../main/services/runStore';
import { readSafetensors, toFloat32 } from '../../shared/formats/safetensors';
import { createNodeContext } from '../nodeGpu';
import { TRAIN_HELP, parseTrainOptions, resolveModel } from '../train/options';
import { TrainProgress } from '../train/progressLine';
import { resolveTrainingData } from '../train/resolveData';

export async function run(argv: string[]): Promise<number> {
  const opts = parseTrainOptions(argv);
  if (opts.help) {
    console.log(TRAIN_HELP);
    return 0;
  }
  const home = resolveHome({ home: opts.home });
  const store = new RunStore(home);
  const resumed = opts.resume ? await store.get(opts.resume) : null;
  const config0 = resumed ? (resumed.config as { data: string; model: string }) : null;

  const data = await resolveTrainingData(home, config0?.data ?? opts.data, opts.valSplit, opts.seed);
  const input: [number, number, number] = [data.channels, data.height, data.width];
  const spec = resolveModel(config0?.model ?? opts.model, input);
  const shapes = inferShapes(spec, opts.batch);
  if (shapes.outputSize !== data.classes.length) {
    throw new Error(`the model ends with ${shapes.outputSize} outputs but dataset "${data.name}" has ${data.classes.length} classes: end the model with linear(${data.classes.length})`);
  }
  // A resumed run keeps its own settings and runs to its configured epochs; --max-steps may
  // still cap the total step count.
  const config: TrainConfig = resumed
    ? { ...(resumed.config as { train: TrainConfig }).train, maxSteps: opts.maxSteps }
    : { spec, epochs: opts.epochs, batchSize: opts.batch, lr: opts.lr, optimizer: opts.optimizer, schedule: opts.schedule, seed: opts.seed, maxSteps: opts.maxSteps, shuffle: true };

  let be: Backend<unknown>;
  let gpu: WebGpuBackend | null = null;
  let timer: StepTimer | undefined;
  let adapter: Record<string, unknown> = { backend: 'cpu', description: 'float64 CPU twins' };
  if (opts.backend === 'webgpu') {
    const ctx = await createNodeContext();
    checkBatchFits(shapes, ctx.device.limits.maxStorageBufferBindingSize);
    gpu = new WebGpuBackend(ctx, { autotuneStore: FileAutotuneStore.inHome(home), convAlgorithm: opts.convAlgo });
    be = gpu as Backend<unknown>;
    timer = gpuStepTimer(ctx);
    adapter = { backend: 'webgpu', ...ctx.adapter };
    if (!opts.json) console.error(`adapter: ${ctx.adapter.vendor} ${ctx.adapter.architecture} ${ctx.adapter.description}${ctx.adapter.isSoftware ? ' (software: slow but correct)' : ''}${ctx.adapter.timestamps ? '' : ' — no timestamp-query: GPU time is coarse (whole step)'}`);
  } else {
    be = new CpuBackend() as Backend<unknown>;
    timer = new WallClockTimer();
  }

  let resume: { model: NamedTensor[]; optimizer: NamedTensor[]; epoch: number; step: number } | undefined;
  if (resumed) resume = await loadResumeState(store, resumed.id, resumed.summary as Record<string, unknown>);
  else if (opts.init) resume = { model: await readInitWeights(opts.init), optimizer: [], epoch: 0, step: 0 };

  const control = new TrainControl();
  const onSignal = (): void => {
    if (control.stopRequested) process.exit(130);
    control.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const trainer = new Trainer(be, config, {
    images: data.images, labels: data.labels, channels: data.channels, height: data.height, width: data.width,
    classes: data.classes.length, trainIndices: data.trainIndices, valIndices: data.valIndices, mean: data.mean, std: data.std,
  }, {
    control, timer, resume,
    hooks: {
      onStep: (m) => {
        writer.appendMetrics(m);
        if (!opts.json) progress.step(m.step, m.epoch, m.loss, m.imagesPerSecond);
      },
      onEpoch: async (m) => {
        writer.appendMetrics(m);
        await writer.updateSummary({ epoch: m.epoch, step: m.step, trainLoss: m.trainLoss, valLoss: m.valLoss, valAccuracy: m.valAccuracy });
        if (!opts.json) progress.line(`epoch ${m.epoch}: train loss ${m.trainLoss.toFixed(4)}, val loss ${m.valLoss.toFixed(4)}, val accuracy ${(100 * m.valAccuracy).toFixed(2)}% (${m.seconds.toFixed(1)} s)`);
      },
      onCheckpoint: async (c) => {
        const name = `epoch-${c.epoch}-step-${c.step}`;
        await writer.saveCheckpoint(name, c.model, { format: 'pytorch-state-dict', epoch: String(c.epoch), step: String(c.step) });
        await writer.saveCheckpoint(`${name}-optimizer`, c.optimizer, { format: 'convlab-optimizer-state' });
        await writer.updateSummary({ lastCheckpoint: name, epoch: c.epoch, step: c.step });
      },
    },
  });
  // Created only once the trainer has accepted the model, data and weights, so bad input
  // leaves no run behind.
  const writer = resumed ? await store.open(resumed.id) : await store.create({
    name: opts.name,
    config: { data: opts.data, model: formatText(spec), train: config, backend: opts.backend },
    modelSpec: formatText(spec),
    dataset: { id: data.id, name: data.name },
    seed: opts.seed,
    adapter,
    versions: { convlab: appVersion(), node: process.versions.node },
  });
  const progress = new TrainProgress(trainer.totalSteps);
  // Like cudnn.benchmark: time each conv layer's algorithms and GEMM tiles on this adapter the
  // first time its shape is seen; the choices persist, so the next launch starts tuned.
  if (gpu) {
    const began = performance.now();
    if (!opts.json) console.error('tuning conv layers for this adapter (first use of each layer shape only)…');
    await tuneModel(gpu, trainer.model as Sequential<unknown>, [config.batchSize, ...input]);
    const why = opts.convAlgo === 'auto' ? describeConvChoices(gpu) : `conv algorithm ${opts.convAlgo} (forced)`;
    if (!opts.json) console.error(`tuned in ${((performance.now() - began) / 1000).toFixed(1)} s: ${why}`);
  }

  let summary;
  try {
    summary = await trainer.run();
  } catch (error) {
    await writer.flush().catch(() => undefined);
    await writer.finish('failed', { error: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const final = {
    trainLoss: summary.trainLoss, valLoss: summary.valLoss, valAccuracy: summary.valAccuracy,
    imagesPerSecond: summary.imagesPerSecond, epochs: summary.epochs, steps: summary.steps,
    ...(summary.divergence ? { divergence: summary.divergence } : {}),
  };
  await writer.flush();
  await writer.finish(summary.status, final);
  if (summary.divergence) console.error(summary.divergence);
  const result = {
    run_id: writer.id, epochs: summary.epochs, steps: summary.steps, train_loss: summary.trainLoss,
    val_loss: summary.valLoss, val_accuracy: summary.valAccuracy, images_per_second: summary.imagesPerSecond,
  };
  if (opts.json) console.log(JSON.stringify(result));
  else {
    console.log(`run ${writer.id} ${summary.status}: ${summary.epochs} epochs, ${summary.steps} steps`);
    console.log(`train loss ${summary.trainLoss.toFixed(4)}  val loss ${summary.valLoss.toFixed(4)}  val accuracy ${(100 * summary.valAccuracy).toFixed(2)}%  ${summary.imagesPerSecond.toFixed(0)} img/s`);
  }
  return summary.status === 'diverged' ? 1 : 0;
}

/** Weights to fine-tune from: any safetensors file with the model's state_dict names. */
async function readInitWeights(path: string): Promise<NamedTensor[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`--init: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const file = readSafetensors(bytes);
  return [...file.tensors].map(([name, t]) => ({ name, shape: t.shape, data: toFloat32(t) }));
}

async function loadResumeState(store: RunStore, id: string, summary: Record<string, unknown>) {
  const name = summary.lastCheckpoint;
  if (typeof name !== 'string') throw new Error(`run ${id} has no checkpoint to resume from (it stopped before the first epoch ended)`);
  const toNamed = (file: ReturnType<typeof readSafetensors>): NamedTensor[] =>
    [...file.tensors].map(([tname, t]) => ({ name: tname, shape: t.shape, data: toFloat32(t) }));
  const model = toNamed(await store.readCheckpoint(id, name));
  const optimizer = toNamed(await store.readCheckpoint(id, `${name}-optimizer`));
  return { model, optimizer, epoch: Number(summary.epoch ?? 0), step: Number(summary.step ?? 0) };
}

function appVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version as string;
  } catch {
    return 'unknown';
  }
}
