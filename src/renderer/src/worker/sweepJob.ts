// A sweep inside the worker: the engine's runSweep (src/engine/train/sweep/sweepRunner.ts, the
// runner `convlab sweep` uses) on navigator.gpu, each run a normal training session writing its
// run through the LabApi (labRunSink), exactly as a run started from the Train view.
//
// Where the sweep stands is read from the runs (lab.sweeps.runs), never kept here: a run that
// ended is skipped, a stopped or interrupted one (the page reloaded mid-run) is resumed from its
// last checkpoint, so queueing the same sweep again after a stop or a crash finishes it without
// recording any run twice. Every run's settings are checked before the first one starts: the
// engine's rules (sweepConfigs) and the worker's own rules for a training config (protocol.ts).

import { modelFromText as resolveModel } from '../../../engine/model/modelFromText';
import type { TrainControl } from '../../../engine/train/control';
import { describeParams } from '../../../engine/train/sweep/overrides';
import { runSweep, sweepConfigs } from '../../../engine/train/sweep/sweepRunner';
import type { GpuContext } from '../../../engine/webgpu/context';
import { WebGpuBackend } from '../../../engine/webgpu/webgpuBackend';
import type { LabRequestApi } from '../../../shared/labApi';
import { openGpuContext, watchDeviceLoss } from './gpuSession';
import { IndexedDbAutotuneStore } from './indexedDbAutotuneStore';
import { labRunReader, labRunSink } from './labRunSink';
import { checkTrainConfig, type FromWorker, type WorkerTrainData } from './protocol';

/** How often the current run's step is posted (ms): the sweep panel shows one progress line. */
const PROGRESS_POST_MS = 250;

export interface SweepJob {
  post(message: FromWorker): void;
  control: TrainControl;
  lab: LabRequestApi;
  onContext(ctx: GpuContext): void;
}

export async function runSweepJob(m: { sweepId: string; maxRuns?: number; data: WorkerTrainData }, job: SweepJob): Promise<void> {
  const { lab, post } = job;
  const sweep = await lab.sweeps.get(m.sweepId);
  if (sweep.base.data !== m.data.id) throw new Error(`sweep ${sweep.id} trains on dataset ${sweep.base.data}, but the worker was given ${m.data.id}`);
  const input: [number, number, number] = [m.data.channels, m.data.height, m.data.width];
  const host = { data: m.data, resolveModel: (text: string) => resolveModel(text, input, m.data.classes.length) };
  sweepConfigs(sweep, host).forEach((config, i) => checkTrainConfig(config, `run ${i + 1} of the sweep (${describeParams(sweep.runs[i]!.params)})`));
  const info = await lab.app.info().catch(() => null);

  const ctx = await openGpuContext();
  job.onContext(ctx);
  post({ type: 'adapter', adapter: ctx.adapter });
  watchDeviceLoss(ctx, (error) => job.control.abort(error));
  try {
    const be = new WebGpuBackend(ctx, { convAlgorithm: sweep.base.convAlgorithm as never, autotuneStore: new IndexedDbAutotuneStore() });
    const progress = new ProgressPoster(post);
    const outcome = await runSweep(sweep, {
      backend: be, ...host, control: job.control,
      newSink: () => labRunSink(lab.runs),
      reader: labRunReader(lab.runs),
      runsOf: async (id) => new Map((await lab.sweeps.runs(id)).map((r) => [r.index, { id: r.id, status: r.status }])),
      versions: info ? { convlab: info.version, chrome: info.chrome, electron: info.electron, platform: info.platform } : {},
      onRunStart: (r) => {
        progress.begin(r.index);
        post({ type: 'sweepRun', index: r.index, total: r.total, params: r.params, resumed: r.resumed });
      },
      onRunEnd: (r) => {
        progress.flush();
        post({ type: 'sweepRunEnd', index: r.index, runId: r.runId, status: r.status, valAccuracy: r.valAccuracy, ...(r.error ? { error: r.error } : {}) });
      },
      sessionEvents: {
        onPrepared: (p) => progress.update({ runId: p.runId, totalSteps: p.totalSteps, step: p.startStep, state: 'preparing' }, true),
        onState: (state) => progress.update({ state }, true),
        onStep: (s) => progress.update({ step: s.step, loss: s.loss }),
        onEpoch: (e) => progress.update({ step: e.step, epoch: e.epoch }, true),
      },
    }, m.maxRuns !== undefined ? { maxRuns: m.maxRuns } : {});
    post({ type: 'sweepDone', finished: outcome.finished, stopped: outcome.stopped, runs: outcome.runs.map((r) => ({ index: r.index, runId: r.runId, status: r.status })) });
  } finally {
    ctx.dispose();
  }
}

type Progress = Extract<FromWorker, { type: 'sweepProgress' }>;

/** The current run's progress, posted at most every PROGRESS_POST_MS (and at once when its state changes). */
class ProgressPoster {
  private current: Progress | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly post: (m: FromWorker) => void) {}

  begin(index: number): void {
    this.flush();
    this.current = { type: 'sweepProgress', index, runId: '', step: 0, totalSteps: 0, epoch: 0, loss: NaN, state: 'preparing' };
  }

  update(patch: Partial<Omit<Progress, 'type' | 'index'>>, now = false): void {
    if (!this.current) return;
    Object.assign(this.current, patch);
    if (now) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), PROGRESS_POST_MS);
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.current?.runId) this.post({ ...this.current });
  }
}
