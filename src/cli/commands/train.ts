// `convlab train`: the engine's training session, headless, on Dawn (or the CPU twins), writing
// a run the desktop app opens. This file only resolves the options into a dataset, a model and a
// backend, shows progress, and turns Ctrl-C into a clean stop (saved, then exit status 130).

import { readFile } from 'node:fs/promises';
import { TrainControl } from '../../engine/train/control';
import { planResume } from '../../engine/train/resume';
import { runTrainingSession } from '../../engine/train/session';
import type { NamedTensor, TrainConfig } from '../../engine/train/types';
import { describeConvChoices } from '../../engine/webgpu/ops/convAlgorithmsChoice';
import { loadDataset } from '../../main/services/datasets/index';
import { commandHome } from '../home';
import { RunStore } from '../../main/services/runStore';
import { namedTensors, storeRunReader, storeRunSink } from '../../main/services/runs/storeSink';
import { readSafetensors } from '../../shared/formats/safetensors';
import { openBackend } from '../openBackend';
import { TRAIN_HELP, parseTrainOptions, resolveModel } from '../train/options';
import { packageVersion } from '../version';
import { TrainProgress } from '../train/progressLine';
import { resolveTrainingData } from '../train/resolveData';

/** Exit status after a stop asked for with Ctrl-C (128 + SIGINT), as shells expect. */
const EXIT_INTERRUPTED = 130;

export async function run(argv: string[]): Promise<number> {
  const opts = parseTrainOptions(argv);
  if (opts.help) {
    console.log(TRAIN_HELP);
    return 0;
  }
  const home = await commandHome(opts.home);
  const store = new RunStore(home);
  const resume = opts.resume ? await planResume(storeRunReader(store), opts.resume) : undefined;
  const data = resume ? await loadDataset(home, resume.datasetId) : await resolveTrainingData(home, opts.data, opts.valSplit, opts.seed);
  const spec = resume ? resume.config.spec : resolveModel(opts.model, [data.channels, data.height, data.width], data.classes.length);
  const config: TrainConfig = {
    spec, epochs: opts.epochs, batchSize: opts.batch, lr: opts.lr, optimizer: opts.optimizer, schedule: opts.schedule,
    seed: opts.seed, maxSteps: opts.maxSteps, shuffle: opts.shuffle, ...(opts.earlyStop !== undefined ? { earlyStop: opts.earlyStop } : {}),
    ...(opts.labelSmoothing ? { labelSmoothing: opts.labelSmoothing } : {}),
    ...(opts.augment ? { augment: opts.augment } : {}),
  };
  const init = !resume && opts.init ? await readInitWeights(opts.init) : undefined;

  const { be, gpu, description } = await openBackend(opts.backend, home, opts.convAlgo);
  if (!opts.json && gpu) console.error(description);

  // First Ctrl-C: finish the step, save, record the run as stopped. A second one: leave now.
  const control = new TrainControl();
  let interrupted = false;
  const onSignal = (): void => {
    if (control.stopRequested) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
    if (!opts.json) console.error('\nstopping after this step (Ctrl-C again to quit at once)…');
    control.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let progress: TrainProgress | null = null;
  let result;
  try {
    result = await runTrainingSession({
      backend: be, data, spec, config, control, init, resume,
      sink: storeRunSink(store),
      record: { ...(opts.name ? { name: opts.name } : {}), dataRef: opts.data, convAlgorithm: opts.convAlgo, versions: { convlab: packageVersion(), node: process.versions.node } },
      events: opts.json ? {} : {
        onPrepared: (p) => (progress = new TrainProgress(p.totalSteps)),
        onState: (state) => state === 'tuning' && console.error('tuning conv layers for this adapter (first use of each layer shape only)…'),
        onTuning: (e) => {
          if (e.kind === 'start') progress?.line(`tuning on the first training steps (each step times a candidate kernel per problem; no step is thrown away): ${e.problems.join(', ')}`);
        },
        onTuned: (seconds, steps) => {
          const on = steps === undefined ? '' : ` on ${steps} training steps`;
          const line = `tuned${on} in ${seconds.toFixed(1)} s: ${opts.convAlgo === 'auto' && gpu ? describeConvChoices(gpu) : `conv algorithm ${opts.convAlgo} (forced)`}`;
          if (progress) progress.line(line);
          else console.error(line);
        },
        onStep: (m) => progress?.step(m.step, m.epoch, m.loss, m.imagesPerSecond),
        onEpoch: (m) => progress?.line(`epoch ${m.epoch}: train loss ${m.trainLoss.toFixed(4)}, val loss ${m.valLoss.toFixed(4)}, val accuracy ${(100 * m.valAccuracy).toFixed(2)}% (${m.seconds.toFixed(1)} s)`),
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const { summary } = result;
  if (summary.divergence) console.error(summary.divergence);
  if (opts.json) {
    console.log(JSON.stringify({
      run_id: result.runId, status: result.status, epochs: summary.epochs, steps: summary.steps, train_loss: summary.trainLoss,
      val_loss: summary.valLoss, val_accuracy: summary.valAccuracy, images_per_second: summary.imagesPerSecond,
      ...(summary.stopReason ? { stop_reason: summary.stopReason } : {}),
    }));
  } else {
    console.log(`run ${result.runId} ${result.status}: ${summary.epochs} epochs, ${summary.steps} steps${summary.stopReason ? ` (${summary.stopReason})` : ''}`);
    console.log(`train loss ${summary.trainLoss.toFixed(4)}  val loss ${summary.valLoss.toFixed(4)}  val accuracy ${(100 * summary.valAccuracy).toFixed(2)}%  ${summary.imagesPerSecond.toFixed(0)} img/s`);
  }
  if (interrupted) return EXIT_INTERRUPTED;
  return result.status === 'diverged' ? 1 : 0;
}

/** Weights to fine-tune from: any safetensors file with the model's state_dict names. */
async function readInitWeights(path: string): Promise<NamedTensor[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`--init: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return namedTensors(readSafetensors(bytes));
}
