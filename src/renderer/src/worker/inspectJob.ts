// The worker's inspect job: one prepared image of a run through the engine's inspection
// (src/engine/inspect, as `convlab inspect` runs it) — the model from runs.model, the pixels
// normalised on the device by training's own gather.
//
// Unlike the other jobs, inspection is interactive (another image, another class, another
// checkpoint: each a new job), so its GPU device is kept between inspect jobs: the pipelines
// compiled for the first image serve the next ones (SwiftShader compiles them on the CPU, which
// takes seconds). Any other job gives it back first (releaseInspectGpu), so only one job's
// device lives at a time, as gpuSession.ts wants.

import { loadModel, uploadImages } from '../../../engine/eval/evaluate';
import { inspect } from '../../../engine/inspect/inspect';
import type { GradTarget } from '../../../engine/inspect/types';
import { parseJson } from '../../../engine/model/parseJson';
import type { NamedTensor } from '../../../engine/train/types';
import type { GpuContext } from '../../../engine/webgpu/context';
import { WebGpuBackend } from '../../../engine/webgpu/webgpuBackend';
import type { RunModelContents } from '../../../shared/labApi';
import { openGpuContext } from './gpuSession';
import type { InspectMessage } from './inspectMessages';
import type { ModelJob } from './modelJobs';

let held: { ctx: GpuContext; be: WebGpuBackend } | null = null;

/** Destroys the kept device (before another job, or when it was lost). */
export function releaseInspectGpu(): void {
  held?.ctx.dispose();
  held = null;
}

export async function runInspection(m: InspectMessage, job: ModelJob): Promise<void> {
  // An absent checkpoint is left out, not sent as undefined (JSON makes that null, which the host refuses).
  const model = await (m.checkpoint ? job.lab.runs.model(m.runId, m.checkpoint) : job.lab.runs.model(m.runId));
  const p = model.preprocessing;
  const [channels, height, width] = p.input;
  if (m.image.pixels.length !== channels * height * width) {
    throw new Error(`${m.image.name} is not prepared for this model (${m.image.pixels.length} bytes, the model takes ${p.input.join('×')})`);
  }
  if (held === null || held.ctx.lost) {
    releaseInspectGpu();
    const ctx = await openGpuContext();
    held = { ctx, be: new WebGpuBackend(ctx) };
  }
  const { ctx, be } = held;
  job.onContext(ctx);
  const net = loadModel(be, parseJson(model.spec), weightsOf(model));
  const source = uploadImages(be, { images: m.image.pixels, channels, height, width, mean: p.mean, std: p.std });
  try {
    let target: GradTarget;
    if (m.target.kind === 'top') {
      const forward = await inspect(be, net, source, 1, null);
      target = { kind: 'class', classes: [argmax(forward.logits)] };
    } else {
      target = m.target.kind === 'class' ? { kind: 'class', classes: [m.target.class] } : { kind: 'loss', labels: [m.target.label] };
    }
    const inspection = await inspect(be, net, source, 1, target);
    job.post({ type: 'inspected', requestId: m.requestId, runId: m.runId, checkpoint: model.checkpoint, target, inspection });
  } catch (error) {
    // A device that went wrong is not kept for the next image.
    releaseInspectGpu();
    throw error;
  } finally {
    if (held) {
      be.release(source.images);
      for (const t of [...net.parameters().flatMap((q) => [q.data, q.grad]), ...net.buffers().map((b) => b.data)]) be.release(t);
    }
  }
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

function weightsOf(m: RunModelContents): NamedTensor[] {
  return m.tensors.map((t) => ({ name: t.name, shape: t.shape, data: new Float32Array(Uint8Array.from(t.data).buffer) }));
}
