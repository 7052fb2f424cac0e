// Export a run's checkpoint as an ONNX model: the run's model spec as the graph, the checkpoint's
// tensors (PyTorch state_dict names) as its weights.

import { parseJson } from '../../../engine/model/parseJson';
import type { ModelSpec } from '../../../engine/model/spec';
import { toFloat32 } from '../../../shared/formats/safetensors';
import type { RunManifest } from '../../../shared/runFormat';
import type { RunStore } from '../runStore';
import { checkpointBytes } from './exportSafetensors';
import { readSafetensors } from '../../../shared/formats/safetensors';
import { exportOnnx } from './onnxModel';

export async function runAsOnnx(store: RunStore, manifest: RunManifest, checkpoint: string | undefined, producerVersion: string): Promise<Uint8Array> {
  const spec = runModelSpec(manifest);
  const { bytes } = await checkpointBytes(store, manifest.id, checkpoint);
  const file = readSafetensors(bytes);
  const weights = [...file.tensors].map(([name, t]) => ({ name, shape: t.shape, data: toFloat32(t) }));
  return exportOnnx(spec, weights, producerVersion);
}

/** The full spec (with its input shape) a run was trained with: the CLI and the app record it
 *  in the config as `train.spec` (or `spec`). */
export function runModelSpec(manifest: RunManifest): ModelSpec {
  const config = (manifest.config ?? {}) as { train?: { spec?: unknown }; spec?: unknown };
  const spec = config.train?.spec ?? config.spec;
  if (!spec) throw new Error(`Run ${manifest.id} does not record its full model spec (input shape and layers), so it cannot be exported as ONNX; export the weights as safetensors instead`);
  return parseJson(spec);
}
