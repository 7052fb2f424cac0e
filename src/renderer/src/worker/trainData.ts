// The dataset as the training worker takes it, from the LabApi's DatasetTensors: on the UI thread
// in the desktop app (window.lab exists only there), or inside the worker in browser mode.
//
// Why the worker fetches it itself in browser mode: the tensors are the whole dataset (~10 MB for
// the built-in one), and Chromium reads a WebSocket message on the thread that owns the socket.
// Received by the UI thread, that read was one 60 ms+ task right after Start (well over 100 ms
// when SwiftShader holds the cores); on the worker's own socket it costs the UI nothing.

import type { DatasetTensors } from '../../../shared/labApi';
import { createWsLabClient, type WebSocketLike } from '../lab/wsClient';
import type { WorkerDataSource, WorkerTrainData } from './protocol';

/** Copies index bytes into an aligned Uint32Array (the LabApi sends them as little-endian bytes). */
function indices(bytes: Uint8Array): Uint32Array {
  const out = new Uint32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function trainDataOf(t: DatasetTensors): WorkerTrainData {
  return {
    id: t.id, name: t.name, classes: t.classes, ...(t.fit ? { fit: t.fit } : {}),
    images: t.images, labels: t.labels, trainIndices: indices(t.trainIndices), valIndices: indices(t.valIndices),
    channels: t.channels, height: t.height, width: t.width, mean: t.mean, std: t.std,
  };
}

/** Browser mode, in the worker: the dataset over a socket of its own to the LabApi host. */
export async function fetchTrainData(source: WorkerDataSource): Promise<WorkerTrainData> {
  const client = createWsLabClient(source.labSocketUrl, (url) => new WebSocket(url) as unknown as WebSocketLike);
  try {
    const t = await client.datasets.tensors(source.datasetId);
    return trainDataOf(t);
  } catch (error) {
    throw new Error(`Could not load dataset ${source.datasetId} for training: ${(error as Error).message}`, { cause: error });
  } finally {
    client.close();
  }
}
