// Tuning on the training steps (src/engine/webgpu/autotune/stepTuner.ts) on this adapter: the
// early steps rotate through each conv phase's and linear GEMM's candidates, every race ends in a
// measured choice under the usual autotune keys, and — since every candidate computes the same
// function — the losses equal, to float32 rounding, those of a run that starts with the chosen
// kernels. A candidate that computes the wrong thing here is caught by its check and never runs
// on a training step. The session tunes on its steps where the adapter has timestamps and up
// front ('tuning') where it has none.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeContext } from '../../src/cli/nodeGpu';
import { parseText } from '../../src/engine/model/parseText';
import { DEFAULT_OPTIMIZER } from '../../src/engine/optim/optimizer';
import { DEFAULT_SCHEDULE } from '../../src/engine/optim/schedule';
import { TrainControl } from '../../src/engine/train/control';
import { runTrainingSession, type SessionDataset } from '../../src/engine/train/session';
import type { StepTuningEvent } from '../../src/engine/train/stepTuning';
import { gpuStepTimer } from '../../src/engine/train/timer';
import { Trainer } from '../../src/engine/train/trainer';
import type { TrainConfig, TrainData } from '../../src/engine/train/types';
import { MemoryAutotuneStore } from '../../src/engine/webgpu/autotune/autotuner';
import { StepTuner } from '../../src/engine/webgpu/autotune/stepTuner';
import type { GpuContext } from '../../src/engine/webgpu/context';
import { WebGpuBackend } from '../../src/engine/webgpu/webgpuBackend';
import { RunStore } from '../../src/main/services/runStore';
import { storeRunSink } from '../../src/main/services/runs/storeSink';
import { gpuContext, noGpu, requireGpu } from './gpuTestContext';

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await gpuContext();
});
/** Tuning on the steps needs timestamp queries; every adapter the tier has seen offers them. */
const timestamps = (await gpuContext())?.adapter.timestamps ?? false;

const REFERENCE = 'conv(8,3,p=1) relu maxpool(2) conv(16,3,p=1) relu maxpool(2) flatten linear(10)';

/** Seeded 28×28 grey images of 10 classes: a faint band whose row is the class, in strong noise,
 *  so the loss stays far from 0 over the steps compared (near 0 it is a tiny difference of logits,
 *  where float32 rounding is a large share). */
function bands(n: number, size = 28): TrainData {
  const images = new Uint8Array(n * size * size);
  const labels = new Uint8Array(n);
  let s = 12345;
  const rand = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16) / 65536;
  for (let i = 0; i < n; i++) {
    const label = i % 10;
    labels[i] = label;
    const row = Math.floor(((label + 0.5) * size) / 10);
    for (let p = 0; p < size * size; p++) images[i * size * size + p] = Math.floor(rand() * 200) + (Math.abs(Math.floor(p / size) - row) <= 1 ? 40 : 0);
  }
  return { images, labels, channels: 1, height: size, width: size, classes: 10, trainIndices: Uint32Array.from({ length: n }, (_, i) => i), valIndices: new Uint32Array(0), mean: [0.2], std: [0.3] };
}

const config = (maxSteps: number): TrainConfig => ({
  spec: parseText(REFERENCE, [1, 28, 28]), epochs: 1000, batchSize: 32, lr: 0.05, optimizer: { ...DEFAULT_OPTIMIZER, momentum: 0.9 },
  schedule: { ...DEFAULT_SCHEDULE }, seed: 7, shuffle: true, maxSteps,
});

interface Trained { losses: number[]; tuning: Array<string | undefined>; be: WebGpuBackend; tuner: StepTuner | null }

/** Trains on `store`'s choices; with `tune`, a step tuner races what is undecided and training
 *  stops once it is done (or after maxSteps). */
async function train(c: GpuContext, store: MemoryAutotuneStore, tune: boolean, maxSteps: number): Promise<Trained> {
  const be = new WebGpuBackend(c, { autotuneStore: store });
  await be.tuner.load();
  const tuner = tune ? new StepTuner(be, { batch: 32, race: { samples: 2, dropFactor: 1.5 }, gemms: true }) : null;
  const control = new TrainControl();
  const losses: number[] = [];
  const tuning: Array<string | undefined> = [];
  const trainer = new Trainer(be, config(maxSteps), bands(256), {
    timer: gpuStepTimer(c), control, ...(tuner ? { stepTuning: tuner } : {}),
    hooks: {
      onStep: (m) => {
        losses.push(m.loss);
        tuning.push(m.tuning);
        if (tuner?.finished) control.stop();
      },
    },
  });
  await trainer.run();
  await be.saveTuning();
  return { losses, tuning, be, tuner };
}

describe('tuning on the training steps', () => {
  it.skipIf(noGpu || !timestamps)('rotates candidates on real steps, keeps a measured choice per problem, and trains exactly like a run started on those choices', async () => {
    requireGpu(ctx);
    const c = ctx;
    const store = new MemoryAutotuneStore();
    // One candidate made wrong on purpose: the 1-pixel implicit forward writes nothing.
    const dispatch = c.dispatch.bind(c);
    c.dispatch = (spec, args) => {
      if (spec.name === 'conv_implicit_forward' && args.constants?.TP === 1) return;
      dispatch(spec, args);
    };
    let tuned: Trained;
    try {
      tuned = await train(c, store, true, 400);
    } finally {
      c.dispatch = dispatch;
    }
    expect(tuned.tuner!.finished, `still racing: ${tuned.tuner!.pending.join(', ')}`).toBe(true);

    // Candidates rotated: each phase of each conv ran on training steps that say so in their
    // notes, and every problem's notes name more than one candidate. (Candidate 0's samples often
    // all come from the steps before its rivals compiled: the notes must name those steps too.)
    const ran = new Map<string, Set<string>>();
    for (const note of tuned.tuning) {
      for (const part of note?.split('; ') ?? []) {
        const [problem, candidate] = part.split(': ');
        if (!ran.has(problem!)) ran.set(problem!, new Set());
        ran.get(problem!)!.add(candidate!);
      }
    }
    for (const problem of ['0.conv2d forward', '0.conv2d grad-weight', '3.conv2d forward', '3.conv2d grad-input', '3.conv2d grad-weight']) {
      expect(ran.get(problem)?.size ?? 0, `${problem} in the notes ${JSON.stringify(tuned.tuning)}`).toBeGreaterThan(1);
    }
    // The first conv reads the images: its grad-input never runs, so nothing raced it.
    expect(ran.has('0.conv2d grad-input')).toBe(false);
    // The broken candidate was caught by its check and never trained.
    for (const [problem, candidates] of ran) if (problem.endsWith('forward')) expect(candidates.has('implicit px1'), problem).toBe(false);
    const forward = tuned.be.describeChoices().filter((ch) => ch.key.startsWith('tile:conv:forward:'));
    expect(forward.length).toBe(2);
    for (const ch of forward) expect(ch.candidates.find((t) => t.name === 'px1')?.rejected ?? '').toMatch(/wrong result/);

    const conv = tuned.be.describeChoices().filter((ch) => ch.key.startsWith('conv:'));
    expect(conv.map((ch) => ch.phase).sort()).toEqual(['forward', 'forward', 'grad-input', 'grad-weight', 'grad-weight']);
    for (const ch of conv) {
      expect(ch.reason).toBe('measured');
      expect(ch.candidates.filter((t) => t.ms !== null).length, ch.key).toBeGreaterThan(1);
    }
    expect(tuned.be.describeChoices().filter((ch) => ch.key.startsWith('gemm:') && ch.phase !== 'forward tile' && ch.reason === 'measured').length).toBeGreaterThan(0);

    // The same run from the stored choices: no tuning, the chosen kernels from the first step.
    const replay = await train(c, store, false, tuned.losses.length);
    expect(replay.tuning.every((t) => t === undefined)).toBe(true);
    const replayed = new Map(replay.be.describeChoices().filter((ch) => ch.key.startsWith('conv:')).map((ch) => [ch.key, ch]));
    for (const ch of conv) expect(replayed.get(ch.key)).toMatchObject({ reason: 'cached', choice: ch.choice });
    expect(replay.losses.length).toBe(tuned.losses.length);
    // The first step's loss comes from the same initial weights through other forward kernels:
    // equal to float32 rounding. Later steps are not equal to the last bit: while racing, a step
    // runs a candidate that sums in another order, and the SGD steps amplify those rounding
    // differences (measured on SwiftShader: 2e-5 relative after 39 steps, 1.8e-3 after 45 —
    // growing with the number of steps, as rounding does and a wrong kernel would not).
    expect(Math.abs(tuned.losses[0]! - replay.losses[0]!)).toBeLessThanOrEqual(1e-5 * Math.abs(replay.losses[0]!));
    tuned.losses.forEach((loss, i) => {
      expect(Number.isFinite(loss)).toBe(true);
      expect(Math.abs(loss - replay.losses[i]!), `step ${i + 1}: ${loss} vs ${replay.losses[i]}`).toBeLessThanOrEqual(1e-2 * Math.abs(replay.losses[i]!));
    });
  }, 300_000);
});

describe('the training session', () => {
  let home: string;
  let plain: GpuContext | null = null;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'convlab-step-tuning-'));
    if (!noGpu) plain = await createNodeContext({ timestamps: false });
  });
  afterAll(async () => {
    plain?.dispose();
    await rm(home, { recursive: true, force: true });
  });

  const tiny = parseText('conv(4,3,p=1) relu flatten linear(2)', [1, 8, 8]);
  function data(): SessionDataset {
    const n = 64;
    const images = new Uint8Array(n * 64);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 2;
      for (let p = 0; p < 64; p++) images[i * 64 + p] = ((p % 8 < 4) === (i % 2 === 0) ? 180 : 30) + (i % 5);
    }
    const all = Uint32Array.from({ length: n }, (_, i) => i);
    return { id: 'ds-20261207-000000-tune', name: 'halves', classes: ['a', 'b'], channels: 1, height: 8, width: 8, images, labels, trainIndices: all, valIndices: new Uint32Array(0), mean: [0.4], std: [0.3] };
  }

  async function session(c: GpuContext, stopWhenTuned: boolean) {
    const states: string[] = [];
    const tuning: StepTuningEvent[] = [];
    const control = new TrainControl();
    const store = new RunStore(home);
    const result = await runTrainingSession({
      backend: new WebGpuBackend(c, { autotuneStore: new MemoryAutotuneStore() }), data: data(), spec: tiny, control,
      config: { spec: tiny, epochs: 500, batchSize: 8, lr: 0.1, optimizer: DEFAULT_OPTIMIZER, schedule: { ...DEFAULT_SCHEDULE }, seed: 1, shuffle: true, maxSteps: stopWhenTuned ? 4000 : 3 },
      sink: storeRunSink(store), record: { dataRef: 'ds-20261207-000000-tune', convAlgorithm: 'auto', versions: {} },
      events: {
        onState: (s) => states.push(s),
        onTuning: (e) => {
          tuning.push(e);
          if (e.kind === 'done') control.stop();
        },
      },
    });
    const steps = (await store.readMetrics(result.runId)).filter((r) => r.kind === 'step');
    return { states, tuning, steps };
  }

  it.skipIf(noGpu || !timestamps)('with timestamps: starts at once and tunes on its steps, recording what each step timed', async () => {
    requireGpu(ctx);
    const { states, tuning, steps } = await session(ctx, true);
    expect(states).not.toContain('tuning');
    expect(tuning[0]?.kind).toBe('start');
    expect(tuning[0]?.kind === 'start' && tuning[0].problems).toEqual(expect.arrayContaining(['0.conv2d forward', '0.conv2d grad-weight']));
    expect(tuning.at(-1)?.kind).toBe('done');
    expect(tuning.filter((e) => e.kind === 'decided').length).toBeGreaterThan(0);
    expect(steps.some((s) => typeof s.tuning === 'string' && s.tuning.includes('0.conv2d forward: '))).toBe(true);
  }, 300_000);

  it.skipIf(noGpu)('without timestamps: times the candidates up front, saying so', async () => {
    requireGpu(plain);
    const { states, tuning, steps } = await session(plain, false);
    expect(states.slice(0, 2)).toEqual(['tuning', 'running']);
    expect(tuning).toEqual([]);
    expect(steps).toHaveLength(3);
    expect(steps.every((s) => s.tuning === undefined)).toBe(true);
  }, 300_000);
});
