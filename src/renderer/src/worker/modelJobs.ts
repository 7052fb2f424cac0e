// The worker's jobs with a trained run (the engine's evaluation, src/engine/eval, as `convlab eval`
// and `convlab predict` run it): evaluate a checkpoint on labelled images and store the report in
// the run; predict the classes of prepared images. The model comes from runs.model, the images
// from runs.evalData or images.prepare: decoding, fitting and class matching happen once, in the
// services, for the CLI and the app alike.

import { evaluate, loadModel, predict, uploadImages } from '../../../engine/eval/evaluate';
import { parseJson } from '../../../engine/model/parseJson';
import type { NamedTensor } from '../../../engine/train/types';
import type { GpuContext } from '../../../engine/webgpu/context';
import { WebGpuBackend } from '../../../engine/webgpu/webgpuBackend';
import { evaluationName } from '../../../shared/evaluation';
import type { LabRequestApi, RunModelContents } from '../../../shared/labApi';
import { createWsLabClient, type WebSocketLike } from '../lab/wsClient';
import { openGpuContext } from './gpuSession';
import { IndexedDbAutotuneStore } from './indexedDbAutotuneStore';
import type { FromWorker, ToWorker } from './protocol';

export interface ModelJob {
  post(message: FromWorker): void;
  /** The LabApi over the UI thread. */
  lab: LabRequestApi;
  onContext(ctx: GpuContext): void;
}

type EvaluateMessage = Extract<ToWorker, { type: 'evaluate' }>;
type PredictMessage = Extract<ToWorker, { type: 'predict' }>;

export async function runEvaluation(m: EvaluateMessage, job: ModelJob): Promise<void> {
  const model = await job.lab.runs.model(m.runId, m.checkpoint);
  // Browser mode: the images come over a socket of the worker's own, as training data does.
  const bulk = m.labSocketUrl ? createWsLabClient(m.labSocketUrl, (url) => new WebSocket(url) as unknown as WebSocketLike) : null;
  let data;
  try {
    data = await (bulk ?? job.lab).runs.evalData(m.runId, m.dataset);
  } finally {
    bulk?.close();
  }
  await withGpu(job, async (be) => {
    const net = loadModel(be, parseJson(model.spec), weightsOf(model));
    const p = model.preprocessing;
    const source = uploadImages(be, { images: data.images, channels: p.input[0], height: p.input[1], width: p.input[2], mean: p.mean, std: p.std });
    const indices = new Uint32Array(Uint8Array.from(data.indices).buffer);
    const report = await evaluate(be, {
      model: net, source, labels: data.labels, indices, classes: p.classes,
      runId: m.runId, checkpoint: model.checkpoint, dataset: { id: data.id, name: data.name, split: data.split },
    }, { onProgress: (done, total) => job.post({ type: 'evaluateProgress', done, total }) });
    const name = evaluationName(data.id, data.split, model.checkpoint);
    await job.lab.runs.saveEvaluation(m.runId, name, report);
    job.post({ type: 'evaluated', name, report, ...(data.note || model.preprocessingNote ? { note: [model.preprocessingNote, data.note].filter(Boolean).join('; ') } : {}) });
  });
}

export async function runPrediction(m: PredictMessage, job: ModelJob): Promise<void> {
  const model = await job.lab.runs.model(m.runId, m.checkpoint);
  const p = model.preprocessing;
  const size = p.input[0] * p.input[1] * p.input[2];
  const pixels = new Uint8Array(m.images.length * size);
  m.images.forEach((image, i) => {
    if (image.pixels.length !== size) throw new Error(`${image.name} is not prepared for this model (${image.pixels.length} bytes, the model takes ${p.input.join('×')})`);
    pixels.set(image.pixels, i * size);
  });
  await withGpu(job, async (be) => {
    const net = loadModel(be, parseJson(model.spec), weightsOf(model));
    const results = await predict(be, net, pixels, p, Math.min(5, p.classes.length));
    job.post({
      type: 'predicted', runId: m.runId, checkpoint: model.checkpoint,
      predictions: m.images.map((image, i) => ({ name: image.name, top: results[i]!.top, logits: results[i]!.logits })),
    });
  });
}

async function withGpu(job: ModelJob, work: (be: WebGpuBackend) => Promise<void>): Promise<void> {
  const ctx = await openGpuContext();
  job.onContext(ctx);
  try {
    await work(new WebGpuBackend(ctx, { autotuneStore: new IndexedDbAutotuneStore() }));
  } finally {
    ctx.dispose();
  }
}

function weightsOf(m: RunModelContents): NamedTensor[] {
  return m.tensors.map((t) => ({ name: t.name, shape: t.shape, data: new Float32Array(Uint8Array.from(t.data).buffer) }));
}
