// The GPU worker's evaluate and predict jobs as promises, for the evaluation and predict stores.
// The worker runs one job at a time and answers a second with 'busy', so these calls are queued
// here one after the other (an image's top-5 asked while another prediction runs waits its turn);
// a job the worker refuses because training or the self-test holds it rejects with its message.
import type { EvaluationReport } from '../../../../shared/evaluation';
import type { FromWorker, ToWorker, WorkerImage } from '../../worker/protocol';
import { gpuWorker } from '../../worker/workerClient';

export interface Prediction {
  name: string;
  top: Array<{ class: string; probability: number }>;
  logits: number[];
}

export interface PredictResult {
  checkpoint: string;
  predictions: Prediction[];
}

export interface EvaluateResult {
  name: string;
  report: EvaluationReport;
  note?: string;
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `job` after every job queued before it, whatever their outcome. */
function queued<T>(job: () => Promise<T>): Promise<T> {
  const next = queue.then(job, job);
  queue = next.catch(() => undefined);
  return next;
}

/** Sends `message` and settles on the first answer `pick` recognises, or on an error of `job`. */
function ask<T>(message: ToWorker, job: 'evaluate' | 'predict', pick: (m: FromWorker) => T | undefined, onOther?: (m: FromWorker) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = gpuWorker.listen((m) => {
      if (m.type === 'error' && (m.job === job || m.job === null)) {
        stop();
        reject(new Error(m.message));
        return;
      }
      const value = pick(m);
      if (value !== undefined) {
        stop();
        resolve(value);
      } else onOther?.(m);
    });
    try {
      gpuWorker.send(message);
    } catch (e) {
      stop();
      reject(e as Error);
    }
  });
}

/** Evaluates a run's checkpoint on its validation split (no dataset) or a stored dataset; the
 *  worker stores the report in the run. `labSocketUrl` in browser mode (the worker fetches the images). */
export function evaluateOnWorker(
  request: { runId: string; checkpoint?: string; dataset?: string; labSocketUrl?: string | null },
  onProgress: (done: number, total: number) => void,
): Promise<EvaluateResult> {
  const { labSocketUrl, ...rest } = request;
  const message: ToWorker = { type: 'evaluate', ...rest, ...(labSocketUrl ? { labSocketUrl } : {}) };
  return queued(() =>
    ask<EvaluateResult>(
      message,
      'evaluate',
      (m) => (m.type === 'evaluated' ? { name: m.name, report: m.report, ...(m.note ? { note: m.note } : {}) } : undefined),
      (m) => {
        if (m.type === 'evaluateProgress') onProgress(m.done, m.total);
      },
    ),
  );
}

/** The top-5 (fewer with fewer classes) and logits of prepared images (pixels at the model's size). */
export function predictOnWorker(runId: string, checkpoint: string | undefined, images: WorkerImage[]): Promise<PredictResult> {
  const message: ToWorker = { type: 'predict', runId, ...(checkpoint ? { checkpoint } : {}), images };
  return queued(() =>
    ask<PredictResult>(message, 'predict', (m) =>
      m.type === 'predicted' && m.runId === runId ? { checkpoint: m.checkpoint, predictions: m.predictions } : undefined,
    ),
  );
}
