// The GPU worker's inspect job as a promise. The worker runs one job at a time and answers a
// second with 'busy'; a short job in the way (a prediction, an evaluation, the previous image's
// inspection) is waited out with a few retries, while training, which holds the worker for long,
// is reported at once. Each request has its own id, and only the answer with that id settles it.
import type { GradTarget, Inspection } from '../../../../engine/inspect/types';
import type { InspectTargetRequest } from '../../worker/inspectMessages';
import type { FromWorker } from '../../worker/protocol';
import { gpuWorker } from '../../worker/workerClient';

export interface InspectAnswer {
  checkpoint: string;
  target: GradTarget;
  inspection: Inspection;
}

export interface InspectRequestData {
  runId: string;
  checkpoint?: string;
  image: { name: string; pixels: Uint8Array };
  target: InspectTargetRequest;
}

let nextId = 1;
const RETRIES = 40;
const RETRY_MS = 250;

export function inspectOnWorker(request: InspectRequestData): Promise<InspectAnswer> {
  return attempt(request, RETRIES);
}

function attempt(request: InspectRequestData, retries: number): Promise<InspectAnswer> {
  const requestId = nextId++;
  return new Promise<InspectAnswer>((resolve, reject) => {
    const stop = gpuWorker.listen((m: FromWorker) => {
      if (m.type === 'inspected' && m.requestId === requestId) {
        stop();
        resolve({ checkpoint: m.checkpoint, target: m.target, inspection: m.inspection });
      } else if (m.type === 'error' && (m.job === 'inspect' || m.job === null)) {
        stop();
        if (m.kind === 'busy' && retries > 0 && !/busy with training/.test(m.message)) {
          setTimeout(() => attempt(request, retries - 1).then(resolve, reject), RETRY_MS);
        } else reject(new Error(m.message));
      }
    });
    try {
      // The pixels are copied, not moved: the page keeps showing the image.
      gpuWorker.send({ type: 'inspect', requestId, runId: request.runId, ...(request.checkpoint ? { checkpoint: request.checkpoint } : {}), image: { name: request.image.name, pixels: request.image.pixels.slice() }, target: request.target });
    } catch (e) {
      stop();
      reject(e as Error);
    }
  });
}
