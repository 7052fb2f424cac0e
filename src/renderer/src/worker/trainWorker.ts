// The training worker: the one place in the app that owns a GPU device. The UI thread only ever
// sees messages (protocol.ts), so a long step, a shader compile or SwiftShader's slowness never
// blocks a frame. Created by the UI with
//   new Worker(new URL('../worker/trainWorker.ts', import.meta.url), { type: 'module' })
//
// One job at a time (training, self-test or worked example): they would share the GPU and skew
// each other's timings, so a second request is answered with a 'busy' error instead of queued.

import { TrainControl } from '../../../engine/train/control';
import type { GpuContext } from '../../../engine/webgpu/context';
import { createWorkerLab } from '../lab/workerLab';
import { describeJobError } from './gpuSession';
import { type FromWorker, ProtocolError, type ToWorker, type WorkerJob, parseToWorker, transferablesOf } from './protocol';
import { runEvaluation, runPrediction } from './modelJobs';
import { releaseInspectGpu, runInspection } from './inspectJob';
import { runSelfTest } from './selfTest';
import { runSweepJob } from './sweepJob';
import { fetchTrainData } from './trainData';
import { runTraining, type StartMessage } from './trainSession';
import { runWorkedExample } from './workedExample';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const JOB_NAMES: Record<WorkerJob, string> = {
  train: 'training', sweep: 'a sweep', selfTest: 'the self-test', workedExample: 'the worked example', evaluate: 'an evaluation', predict: 'a prediction',
  inspect: 'an inspection',
};

let job: WorkerJob | null = null;
let control: TrainControl | null = null;
let context: GpuContext | null = null;

function post(message: FromWorker): void {
  scope.postMessage(message, transferablesOf(message));
}

// The LabApi, through the UI thread (see src/renderer/src/lab/workerLab.ts).
const workerLab = createWorkerLab(post);

async function runJob(kind: WorkerJob, work: () => Promise<void>): Promise<void> {
  job = kind;
  context = null;
  // Inspection keeps its device between inspections (inspectJob.ts); any other job gets the GPU alone.
  if (kind !== 'inspect') releaseInspectGpu();
  try {
    await work();
  } catch (error) {
    post({ type: 'error', ...(await describeJobError(error, context)), job: kind });
  } finally {
    job = null;
    control = null;
    context = null;
  }
}

function handle(message: ToWorker): void {
  const onContext = (ctx: GpuContext): void => void (context = ctx);
  switch (message.type) {
    case 'start':
    case 'startFetching':
    case 'sweep':
    case 'selfTest':
    case 'workedExample':
    case 'evaluate':
    case 'predict':
    case 'inspect': {
      const asked: WorkerJob = message.type === 'start' || message.type === 'startFetching' ? 'train' : message.type;
      if (job !== null) {
        post({ type: 'error', kind: 'busy', job: asked, message: `The GPU worker is busy with ${JOB_NAMES[job]}; wait for it to finish (or stop training) first` });
        return;
      }
      if (message.type === 'sweep') {
        // Stop (the training 'stop' message) ends the current run after its step, then the sweep.
        const ctl = new TrainControl();
        control = ctl;
        void runJob('sweep', async () => runSweepJob(await sweepWithData(message), { post, control: ctl, lab: workerLab.lab, onContext }));
      } else if (message.type === 'start' || message.type === 'startFetching') {
        const ctl = new TrainControl();
        control = ctl;
        void runJob('train', async () => {
          const start = message.type === 'start' ? message : await fetchedStart(message);
          await runTraining(start, { post, control: ctl, lab: workerLab.lab, onContext });
        });
      } else if (message.type === 'evaluate') {
        void runJob('evaluate', () => runEvaluation(message, { post, lab: workerLab.lab, onContext }));
      } else if (message.type === 'inspect') {
        void runJob('inspect', () => runInspection(message, { post, lab: workerLab.lab, onContext }));
      } else if (message.type === 'predict') {
        void runJob('predict', () => runPrediction(message, { post, lab: workerLab.lab, onContext }));
      } else if (message.type === 'selfTest') {
        void runJob('selfTest', () => runSelfTest(post, onContext));
      } else {
        void runJob('workedExample', () => runWorkedExample(post, onContext));
      }
      return;
    }
    case 'pause':
      if (!control) return;
      control.pause();
      post({ type: 'state', state: 'paused' });
      return;
    case 'resume':
      if (!control) return;
      control.resume();
      post({ type: 'state', state: 'running' });
      return;
    case 'stop':
      if (!control) return;
      control.stop();
      post({ type: 'state', state: 'stopping' });
      return;
    case 'labReply':
      workerLab.receive(message);
      return;
  }
}

/** The start message a startFetching stands for, its fetched dataset checked like one from the UI. */
async function fetchedStart(m: Extract<ToWorker, { type: 'startFetching' }>): Promise<StartMessage> {
  const { type: _, source, ...options } = m;
  const message = parseToWorker({ type: 'start', data: await fetchTrainData(source), ...options });
  if (message.type !== 'start') throw new ProtocolError('startFetching did not make a start message');
  return message;
}

/** The sweep message with its dataset: given by the UI (desktop), or fetched here and checked
 *  like one from the UI (browser mode). */
async function sweepWithData(m: Extract<ToWorker, { type: 'sweep' }>): Promise<Parameters<typeof runSweepJob>[0]> {
  if (m.data) return { ...m, data: m.data };
  const checked = parseToWorker({ type: 'sweep', sweepId: m.sweepId, ...(m.maxRuns ? { maxRuns: m.maxRuns } : {}), data: await fetchTrainData(m.source!) });
  if (checked.type !== 'sweep' || !checked.data) throw new ProtocolError('the sweep message lost its dataset');
  return { ...checked, data: checked.data };
}

scope.onmessage = (event: MessageEvent<unknown>) => {
  let message: ToWorker;
  try {
    message = parseToWorker(event.data);
  } catch (error) {
    post({ type: 'error', kind: 'invalid-message', job: null, message: error instanceof ProtocolError ? error.message : String(error) });
    return;
  }
  handle(message);
};

// A rejected promise nobody awaited (e.g. inside the WebGPU implementation) would otherwise be
// lost in the worker's console while the UI waits forever.
scope.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  const reason = event.reason as unknown;
  post({ type: 'error', kind: 'training', job, message: `Unexpected error in the GPU worker: ${reason instanceof Error ? reason.message : String(reason)}` });
});
