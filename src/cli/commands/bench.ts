// `convlab bench`: what this adapter does with Conv Lab's kernels, as one JSON object.
//
//   adapter          vendor / architecture / description, software or not, timestamps or not
//   reference_model  the reference CNN at batch 64 after warm-up: images/s, ms and GPU ms per
//                    step, dispatches / submits / readbacks per step, peak pooled GPU bytes
//   conv_layers      the four conv shapes of the reference-size models, per conv algorithm:
//                    forward / grad-input / grad-weight / grad-bias ms and GFLOP/s
//   gemm_peak_gflops the best GEMM rate measured over the tile configs (256³; GPUs also 1024³, 2048³)
//   inspect          inspecting one image on the reference model (every module's output + the
//                    backward for a class score, one readback): GPU ms of the recorded work, and
//                    wall ms of the whole call including the readback (--only inspect: just this)
//   models           wide, lenet5, cifar-small, resnet8, resnet20 at batch 64 (--models picks):
//                    images/s, GPU ms per step, peak memory and where it goes (bench/modelRuns.ts)
//   batch_sweep      the reference model at batch 16, 64 and 256 (--batches), measured the same way
//   time_to_first_step_ms  the reference model on a fresh device with an empty autotune cache:
//                    from building the trainer to the first step's results (--only first-step
//                    also measures it with every candidate timed up front)
//
// Every number is a median over --repeat runs. Before anything is timed, each algorithm is
// checked against the float64 CPU twin on the same shapes at batch 2; one that fails is
// reported as failed, never timed.

import { writeFile } from 'node:fs/promises';
import { booleanFlag, choiceFlag, expectPositionals, numberFlag, parseCommandArgs, stringFlag } from '../args';
import { CpuBackend } from '../../engine/cpu/cpuBackend';
import { type Conv2dGeometry, conv2dGeometry, inputElements, outputElements, outputPixels, weightElements } from '../../engine/conv/geometry';
import { forwardGemm, gradInputGemm, gradWeightGemm } from '../../engine/conv/gemmPlan';
import { gemmFlops, gemmSpec } from '../../engine/gemm';
import { Trainer } from '../../engine/train/trainer';
import { gpuStepTimer } from '../../engine/train/timer';
import { WebGpuBackend } from '../../engine/webgpu/webgpuBackend';
import { timeGpuWork } from '../../engine/webgpu/autotune/measure';
import { tuneModel } from '../../engine/webgpu/autotune/tuneModel';
import { DEFAULT_OPTIMIZER } from '../../engine/optim/optimizer';
import { parseSchedule } from '../../engine/optim/schedule';
import { commandHome } from '../home';
import { FileAutotuneStore } from '../bench/fileAutotuneStore';
import { createNodeContext } from '../nodeGpu';
import { REFERENCE_MODEL, resolveModel } from '../train/options';
import { resolveTrainingData } from '../train/resolveData';
import type { GpuContext } from '../../engine/webgpu/context';
import { uploadImages } from '../../engine/eval/evaluate';
import { recordInspection } from '../../engine/inspect/inspect';
import { Sequential } from '../../engine/nn/sequential';
import { median } from '../../engine/webgpu/autotune/autotuner';
import { BENCH_MODELS, type BenchModel, benchModel, timeToFirstStep } from '../bench/modelRuns';

const HELP = `usage: convlab bench [options]

  --out FILE     also write the report to FILE
  --json         print only the report (one JSON object on the last line), no progress lines
  --repeat N     timed runs per number (median; default 3)
  --steps N      timed training steps of the reference model per run (default 30, after 5
                 warm-up; --repeat runs, median)
  --home DIR     data folder (autotune cache in DIR/cache/autotune.json)
  --models LIST  models to measure beside the reference model (default ${BENCH_MODELS.map((m) => m.name).join(',')};
                 none: skip them)
  --batches LIST reference-model batch sizes of the sweep (default 16,64,256; none: skip it)
  --model-steps N  timed steps per model and sweep batch (default 5, after 8 warm-up; the
                 kernels are first tuned on up to --tune-steps training steps, cached in --home)
  --tune-steps N   most training steps a model's step tuning may take (default 80)
  --only PART    measure only: inspect (one image's inspection), models (the models and the
                 sweep), first-step (time to the first step, on the steps and up front)`;

const LAYERS: Array<{ name: string; input: [number, number, number, number]; weight: [number, number, number, number] }> = [
  { name: '1→8 on 28×28', input: [64, 1, 28, 28], weight: [8, 1, 3, 3] },
  { name: '8→16 on 14×14', input: [64, 8, 14, 14], weight: [16, 8, 3, 3] },
  { name: '16→32 on 14×14', input: [64, 16, 14, 14], weight: [32, 16, 3, 3] },
  { name: '32→64 on 7×7', input: [64, 32, 7, 7], weight: [64, 32, 3, 3] },
];
const ALGORITHMS = ['im2col', 'implicit', 'direct'] as const;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    out: { type: 'string' }, json: { type: 'boolean' }, repeat: { type: 'string' }, steps: { type: 'string' }, home: { type: 'string' }, only: { type: 'string' },
    models: { type: 'string' }, batches: { type: 'string' }, 'model-steps': { type: 'string' }, 'tune-steps': { type: 'string' }, help: { type: 'boolean', short: 'h' },
  });
  if (booleanFlag(args, 'help')) {
    console.log(HELP);
    return 0;
  }
  expectPositionals(args.positionals, [], 'convlab bench [--out FILE] [--json] [--repeat N] [--steps N] [--home DIR]');
  const repeat = numberFlag(args, 'repeat', { integer: true, min: 1, max: 100 }) ?? 3;
  const steps = numberFlag(args, 'steps', { integer: true, min: 2 }) ?? 30;
  const outFile = stringFlag(args, 'out');
  const quiet = booleanFlag(args, 'json');
  const only = choiceFlag(args, 'only', ['inspect', 'models', 'first-step'] as const);
  const models = modelList(stringFlag(args, 'models'));
  const batches = batchList(stringFlag(args, 'batches'));
  const modelSteps = numberFlag(args, 'model-steps', { integer: true, min: 1 }) ?? 5;
  const tuneSteps = numberFlag(args, 'tune-steps', { integer: true, min: 1 }) ?? 80;
  const home = await commandHome(stringFlag(args, 'home'));
  const ctx = await createNodeContext();
  const store = FileAutotuneStore.inHome(home);
  const be = new WebGpuBackend(ctx, { autotuneStore: store });
  const log = (s: string): void => {
    if (!quiet) console.error(`bench: ${s}`);
  };
  log(`adapter ${ctx.adapter.vendor} / ${ctx.adapter.architecture} / ${ctx.adapter.description}`);
  const finish = async (report: object): Promise<number> => {
    // --json: the whole report on one line (the --json contract); otherwise indented for reading.
    console.log(quiet ? JSON.stringify(report) : JSON.stringify(report, null, 1));
    if (outFile !== undefined) await writeFile(outFile, `${JSON.stringify(report, null, 1)}\n`);
    ctx.dispose();
    return 0;
  };
  if (only === 'inspect') return finish({ adapter: ctx.adapter, repeats: repeat, inspect: await inspectOneImage(ctx, be, home, repeat) });
  if (only === 'first-step') return finish({ adapter: ctx.adapter, first_step: await firstStep(log, true) });
  if (only === 'models') return finish({ adapter: ctx.adapter, ...(await modelsAndSweep(ctx, store, models, batches, modelSteps, tuneSteps, log)) });

  const convLayers = [];
  for (const layer of LAYERS) {
    const g = conv2dGeometry(layer.input, layer.weight, { padding: 1 });
    await be.tuneConv(g);
    // Saved first, so the per-algorithm backends below start from the GEMM configs just tuned.
    await be.saveTuning();
    const algorithms: Record<string, unknown> = {};
    for (const algo of ALGORITHMS) {
      const abe = new WebGpuBackend(ctx, { autotuneStore: store, convAlgorithm: algo });
      await abe.tuner.load();
      const check = await checkAgainstCpu(abe, conv2dGeometry([2, ...layer.input.slice(1)] as [number, number, number, number], layer.weight, { padding: 1 }));
      if (check) {
        algorithms[algo] = { failed: check };
        continue;
      }
      // What each phase really ran: a forced algorithm without a kernel for a phase (direct has
      // none for the backward) falls back, and the row says so.
      const ran = abe.describeChoices().filter((c) => c.key.startsWith('conv:') && c.key.includes(`:n${g.batch}:`)).map((c) => `${c.phase}: ${c.choice}`);
      algorithms[algo] = { ...(await timeConv(ctx, abe, g, repeat)), ran };
      log(`${layer.name} ${algo}: ${JSON.stringify(algorithms[algo])}`);
    }
    convLayers.push({ layer: layer.name, input: layer.input, weight: layer.weight, padding: 1, algorithms });
  }

  const peak = await gemmPeak(ctx, be, repeat);
  log(`gemm peak ${peak.gflops.toFixed(3)} GFLOP/s (${peak.config}, ${peak.shape})`);
  // The peak memory reported is the reference model's alone, not the buffers the conv-layer
  // and GEMM measurements above left in the pool.
  ctx.pool.trim();
  ctx.pool.resetPeak();
  const reference = await referenceModelRuns(ctx, be, home, steps, repeat);
  const inspection = await inspectOneImage(ctx, be, home, repeat);
  log(`inspect one image: ${inspection.gpu_ms} GPU ms, ${inspection.wall_ms} ms with the readback`);
  await be.saveTuning();
  const first = await firstStep(log, false);
  const perModel = await modelsAndSweep(ctx, store, models, batches, modelSteps, tuneSteps, log);

  return finish({
    adapter: ctx.adapter,
    repeats: repeat,
    reference_model: reference,
    time_to_first_step_ms: first.time_to_first_step_ms,
    first_step: first,
    ...perModel,
    conv_layers: convLayers,
    gemm_peak_gflops: peak.gflops,
    gemm_peak: peak,
    inspect: inspection,
    choices: be.describeChoices(),
  });
}

const REFERENCE: BenchModel = { name: 'reference', model: REFERENCE_MODEL, input: [1, 28, 28] };

function modelList(flag: string | undefined): BenchModel[] {
  if (flag === undefined) return [...BENCH_MODELS];
  if (flag === 'none' || flag === '') return [];
  return flag.split(',').map((name) => {
    const m = BENCH_MODELS.find((b) => b.name === name.trim());
    if (!m) throw new Error(`--models: unknown model "${name}"; choose from ${BENCH_MODELS.map((b) => b.name).join(', ')} (comma-separated), or none`);
    return m;
  });
}

function batchList(flag: string | undefined): number[] {
  if (flag === undefined) return [16, 64, 256];
  if (flag === 'none' || flag === '') return [];
  return flag.split(',').map((b) => {
    const n = Number(b.trim());
    if (!Number.isInteger(n) || n < 1 || n > 4096) throw new Error(`--batches: "${b}" is not a batch size (a whole number from 1 to 4096); give a list such as 16,64,256, or none`);
    return n;
  });
}

async function firstStep(log: (s: string) => void, upfront: boolean) {
  const r = await timeToFirstStep(REFERENCE, 64, upfront);
  log(`time to first step (fresh device, empty autotune cache): ${r.time_to_first_step_ms} ms${r.time_to_first_step_upfront_ms !== undefined ? `; timing every candidate up front: ${r.time_to_first_step_upfront_ms} ms` : ''}`);
  return r;
}

async function modelsAndSweep(ctx: GpuContext, store: FileAutotuneStore, models: BenchModel[], batches: number[], steps: number, tuneSteps: number, log: (s: string) => void) {
  const out = [];
  for (const m of models) {
    out.push(await benchModel(ctx, store, m, 64, steps, tuneSteps));
    log(`${m.name}: ${JSON.stringify(out[out.length - 1])}`);
  }
  const sweep = [];
  for (const batch of batches) {
    sweep.push(await benchModel(ctx, store, REFERENCE, batch, steps, tuneSteps));
    log(`reference at batch ${batch}: ${JSON.stringify(sweep[sweep.length - 1])}`);
  }
  return { models: out, batch_sweep: sweep };
}

/** null when every phase matches the float64 twin, else what differed. */
async function checkAgainstCpu(be: WebGpuBackend, g: Conv2dGeometry): Promise<string | null> {
  const cpu = new CpuBackend();
  const rand = (n: number, seed: number): Float64Array => Float64Array.from({ length: n }, (_, i) => Math.fround(Math.sin(seed * 1000 + i * 1.618)));
  const x = rand(inputElements(g), 1);
  const w = rand(weightElements(g), 2);
  const b = rand(g.outChannels, 3);
  const dOut = rand(outputElements(g), 4);
  const want = { out: cpu.alloc(outputElements(g)), dIn: cpu.alloc(inputElements(g)), dW: cpu.alloc(weightElements(g)), dB: cpu.alloc(g.outChannels) };
  cpu.conv2dForward(g, x, w, b, want.out);
  cpu.conv2dBackwardInput(g, dOut, w, want.dIn);
  cpu.conv2dBackwardWeight(g, x, dOut, want.dW, false);
  cpu.conv2dBackwardBias(g, dOut, want.dB, false);
  const [gx, gw, gb, gd] = [be.upload(x, 'x'), be.upload(w, 'w'), be.upload(b, 'b'), be.upload(dOut, 'dOut')];
  const got = { out: be.alloc(outputElements(g), 'out'), dIn: be.alloc(inputElements(g), 'dIn'), dW: be.alloc(weightElements(g), 'dW'), dB: be.alloc(g.outChannels, 'dB') };
  be.conv2dForward(g, gx, gw, gb, got.out);
  be.conv2dBackwardInput(g, gd, gw, got.dIn);
  be.conv2dBackwardWeight(g, gx, gd, got.dW, false);
  be.conv2dBackwardBias(g, gd, got.dB, false);
  const problems: string[] = [];
  for (const key of ['out', 'dIn', 'dW', 'dB'] as const) {
    const a = await be.read(got[key]);
    const ref = want[key];
    let worst = 0;
    let scale = 1;
    for (let i = 0; i < ref.length; i++) {
      worst = Math.max(worst, Math.abs(a[i]! - ref[i]!) || (Number.isNaN(a[i]!) ? Infinity : 0));
      scale = Math.max(scale, Math.abs(ref[i]!));
    }
    if (!(worst <= 1e-4 * scale)) problems.push(`${key} off by ${worst}`);
  }
  for (const t of [gx, gw, gb, gd, ...Object.values(got)]) be.release(t);
  return problems.length ? problems.join(', ') : null;
}

async function timeConv(ctx: GpuContext, be: WebGpuBackend, g: Conv2dGeometry, repeat: number) {
  const x = be.upload(new Float32Array(inputElements(g)).fill(0.5), 'x');
  const w = be.upload(new Float32Array(weightElements(g)).fill(0.25), 'w');
  const b = be.upload(new Float32Array(g.outChannels).fill(0.1), 'b');
  const dOut = be.upload(new Float32Array(outputElements(g)).fill(0.5), 'dOut');
  const out = be.alloc(outputElements(g), 'out');
  const dIn = be.alloc(inputElements(g), 'dIn');
  const dW = be.alloc(weightElements(g), 'dW');
  const dB = be.alloc(g.outChannels, 'dB');
  const phase = async (record: () => void, flops: number) => {
    const ms = await timeGpuWork(ctx, record, repeat);
    return { ms: round(ms), gflops: round(flops / ms / 1e6) };
  };
  const result = {
    forward: await phase(() => be.conv2dForward(g, x, w, b, out), gemmFlops(forwardGemm(g)) + outputElements(g)),
    'grad-input': await phase(() => be.conv2dBackwardInput(g, dOut, w, dIn), gemmFlops(gradInputGemm(g))),
    'grad-weight': await phase(() => be.conv2dBackwardWeight(g, x, dOut, dW, false), gemmFlops(gradWeightGemm(g, false))),
    'grad-bias': await phase(() => be.conv2dBackwardBias(g, dOut, dB, false), g.batch * g.outChannels * outputPixels(g)),
  };
  for (const t of [x, w, b, dOut, out, dIn, dW, dB]) be.release(t);
  return result;
}

/** The best square-GEMM rate over the tuned tile configs. A software adapter gets 256³ (larger
 *  sizes take minutes there); a GPU also 1024³ and 2048³, since small products cannot fill it and
 *  would understate its ceiling. */
async function gemmPeak(ctx: GpuContext, be: WebGpuBackend, repeat: number) {
  const sizes = ctx.adapter.isSoftware ? [256] : [256, 1024, 2048];
  let best = { shape: '', config: '', ms: NaN, gflops: 0 };
  for (const n of sizes) {
    const spec = gemmSpec({ m: n, n, k: n });
    const phase = `gemm-peak-${n}`;
    const config = await be.gemmTuning.tune(spec, phase, repeat);
    const a = be.upload(new Float32Array(n * n).fill(0.5), 'a');
    const b = be.upload(new Float32Array(n * n).fill(0.5), 'b');
    const c = be.alloc(n * n, 'c');
    const ms = await timeGpuWork(ctx, () => be.gemm(spec, a, b, c), repeat);
    for (const t of [a, b, c]) be.release(t);
    const choice = be.tuner.describe().find((d) => d.phase === phase);
    const gflops = round(gemmFlops(spec) / ms / 1e6);
    if (gflops > best.gflops) best = { shape: `${n}x${n}x${n}`, config: choice?.choice ?? JSON.stringify(config), ms: round(ms), gflops };
  }
  return best;
}

/** The reference model's training step, `repeat` fresh runs (tuning cached after the first):
 *  the median run by images per second, and every run's rate, since a shared machine's speed
 *  drifts between runs. */
async function referenceModelRuns(ctx: GpuContext, be: WebGpuBackend, home: string, steps: number, repeat: number) {
  const runs = [];
  for (let i = 0; i < repeat; i++) runs.push(await referenceModel(ctx, be, home, steps));
  const sorted = [...runs].sort((a, b) => a.images_per_second - b.images_per_second);
  // Memory from the first run: later runs start with the earlier trainers' buffers in the pool.
  return { ...sorted[sorted.length >> 1]!, peak_gpu_bytes: runs[0]!.peak_gpu_bytes, runs: repeat, images_per_second_runs: runs.map((r) => r.images_per_second) };
}

async function referenceModel(ctx: GpuContext, be: WebGpuBackend, home: string, steps: number) {
  const data = await resolveTrainingData(home, 'builtin:fashion-mnist-mini', undefined, 1);
  const spec = resolveModel(REFERENCE_MODEL, [data.channels, data.height, data.width]);
  // Warm-up: pipelines, first-touch of buffers, and the readback pacer learning the step time.
  const warmup = 5;
  const trainer = new Trainer(be, {
    spec, epochs: 1000, batchSize: 64, lr: 0.05, optimizer: DEFAULT_OPTIMIZER, schedule: parseSchedule('constant'), seed: 1, maxSteps: warmup + steps, shuffle: true,
  }, {
    images: data.images, labels: data.labels, channels: data.channels, height: data.height, width: data.width,
    classes: data.classes.length, trainIndices: data.trainIndices, valIndices: new Uint32Array(0), mean: data.mean, std: data.std,
  }, {
    timer: gpuStepTimer(ctx),
    hooks: { onStep: (m) => onStep(m.step, m.kernelTimes) },
  });
  await tuneModel(be, trainer.model, [64, data.channels, data.height, data.width]);
  const marks: Array<{ step: number; time: number; gpuMs: number }> = [];
  function onStep(step: number, kernelTimes: Record<string, number> | undefined): void {
    const gpuMs = kernelTimes ? Object.values(kernelTimes).reduce((s, v) => s + v, 0) : NaN;
    marks.push({ step, time: performance.now(), gpuMs });
  }
  const before = { dispatches: ctx.dispatchCount, submits: ctx.submitCount, readbacks: ctx.readbackCount };
  await trainer.run();
  // Counters over every step (each step records the same work), so the pipelined tail does not
  // skew them; time only over the steady state after warm-up.
  const total = warmup + steps;
  const counters = { dispatches: 'dispatchCount', submits: 'submitCount', readbacks: 'readbackCount' } as const;
  const perStep = (key: keyof typeof before): number => round((ctx[counters[key]] - before[key]) / total);
  // Steps finish in order; the interval between the warm-up's last report and the last one is
  // the steady state.
  const first = marks[warmup - 1]!;
  const last = marks[marks.length - 1]!;
  const n = last.step - first.step;
  const msPerStep = (last.time - first.time) / n;
  const gpu = marks.slice(warmup).map((m) => m.gpuMs).sort((a, b) => a - b);
  return {
    batch: 64,
    model: REFERENCE_MODEL,
    steps_timed: n,
    warmup_steps: warmup,
    images_per_second: round((64 * 1000) / msPerStep),
    ms_per_step: round(msPerStep),
    gpu_ms_per_step: round(gpu[gpu.length >> 1] ?? NaN),
    dispatches_per_step: perStep('dispatches'),
    submits_per_step: perStep('submits'),
    readbacks_per_step: perStep('readbacks'),
    peak_gpu_bytes: ctx.pool.peakBytes,
  };
}

const round = (v: number): number => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v);

/** Inspecting one image on the reference model (random weights: the work does not depend on
 *  them), the gradient of a class score included: GPU time of the recorded work (timestamps, or
 *  wall clock around submit on adapters without them), and the whole call with its readback. */
async function inspectOneImage(ctx: GpuContext, be: WebGpuBackend, home: string, repeat: number) {
  const data = await resolveTrainingData(home, 'builtin:fashion-mnist-mini', undefined, 1);
  const { channels, height, width } = data;
  const spec = resolveModel(REFERENCE_MODEL, [channels, height, width]);
  const net = new Sequential(spec, be, 1);
  const source = uploadImages(be, { images: data.images.subarray(0, channels * height * width), channels, height, width, mean: data.mean, std: data.std });
  const target = { kind: 'class' as const, classes: [0] };
  await recordInspection(be, net, source, 1, target).read(); // pipelines
  const gpuMs = await timeGpuWork(ctx, () => recordInspection(be, net, source, 1, target).discard(), repeat);
  const wall: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await recordInspection(be, net, source, 1, target).read();
    wall.push(performance.now() - t0);
  }
  be.release(source.images);
  return { model: REFERENCE_MODEL, images: 1, target: 'class score', gpu_ms: round(gpuMs), wall_ms: round(median(wall)), wall_ms_runs: wall.map(round) };
}
