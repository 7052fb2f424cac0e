// Export a run's checkpoint as an ONNX model: the run's model spec as the graph, the checkpoint's
// tensors (PyTorch state_dict names) as its weights.

import type { RunManifest } from '../../../shared/runFormat';
import { PREPROCESSING_KEY } from '../../../shared/runRecord';
import type { RunStore } from '../runStore';
import { exportOnnx } from './onnxModel';
import { loadRunModel } from './runModel';

/** The run's checkpoint as ONNX, its preprocessing in metadata_props[convlab.preprocessing]. */
export async function runAsOnnx(store: RunStore, manifest: RunManifest, checkpoint: string | undefined, producerVersion: string): Promise<{ checkpoint: string; bytes: Uint8Array }> {
  const model = await loadRunModel(store, manifest.id, checkpoint);
  return { checkpoint: model.checkpoint, bytes: exportOnnx(model.spec, model.weights, producerVersion, { [PREPROCESSING_KEY]: JSON.stringify(model.preprocessing) }) };
}
