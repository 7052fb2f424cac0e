// The UI thread's handle on the GPU worker: one worker for the whole window (it owns the device,
// and the training and kernel-lab stores take turns), typed sends, and validated receives.
//
// A worker that dies (a crash in the WebGPU implementation, a syntax error in a bad build) is
// reported to every listener as an 'error' message and replaced by a fresh one on the next send.
//
// The worker's LabApi calls (its training session writing the run) are answered here, on the
// page's own LabApi, so the host ties the run to this page (src/renderer/src/lab/workerLab.ts).

import { lab } from '../lab';
import { answerLabCall } from '../lab/workerLab';
import { type FromWorker, type ToWorker, parseFromWorker, transferablesOf } from './protocol';

type Listener = (message: FromWorker) => void;

export interface GpuWorker {
  send(message: ToWorker): void;
  /** Subscribe to the worker's messages; returns the function that unsubscribes. */
  listen(listener: Listener): () => void;
}

let worker: Worker | null = null;
const listeners = new Set<Listener>();

function broadcast(message: FromWorker): void {
  for (const listener of [...listeners]) listener(message);
}

function spawn(): Worker {
  const w = new Worker(new URL('../worker/trainWorker.ts', import.meta.url), { type: 'module', name: 'convlab-gpu' });
  w.onmessage = (event: MessageEvent<unknown>) => {
    let message: FromWorker;
    try {
      message = parseFromWorker(event.data);
    } catch (error) {
      message = { type: 'error', kind: 'invalid-message', job: null, message: (error as Error).message };
    }
    if (message.type === 'lab') {
      void answerLabCall(lab, message).then((reply) => w.postMessage(reply));
      return;
    }
    broadcast(message);
  };
  w.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    w.terminate();
    if (worker === w) worker = null;
    broadcast({ type: 'error', kind: 'training', job: null, message: `The GPU worker stopped: ${event.message || 'it failed to load or crashed'}. Try again; if it repeats, reload the window.` });
  };
  return w;
}

export const gpuWorker: GpuWorker = {
  send(message) {
    worker ??= spawn();
    worker.postMessage(message, transferablesOf(message));
  },
  listen(listener) {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  },
};
