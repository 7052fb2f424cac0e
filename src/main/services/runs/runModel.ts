// A run as a usable model: its spec, one checkpoint's weights and the preprocessing to feed it.
// Evaluation, prediction and every export start here, so they agree on which checkpoint is the
// default (best, else the newest) and on where the preprocessing comes from:
//
//   1. the checkpoint file's own `convlab.preprocessing` metadata,
//   2. the run manifest's `preprocessing`,
//   3. for runs made before it was recorded: the run's dataset (its normalisation, fit and
//      classes, as training used them), said so in `preprocessingNote`.

import { parseJson } from '../../../engine/model/parseJson';
import type { ModelSpec } from '../../../engine/model/spec';
import type { NamedTensor } from '../../../engine/train/types';
import { BUILTIN_FASHION_MNIST_MINI } from '../../../shared/datasetFormat';
import type { RunManifest } from '../../../shared/runFormat';
import { BEST_CHECKPOINT, LAST_CHECKPOINT, PREPROCESSING_KEY, type Preprocessing, isOptimizerCheckpoint, parsePreprocessing } from '../../../shared/runRecord';
import { getDataset } from '../datasets/datasetStore';
import { describeBuiltin } from '../datasets/builtinDataset';
import type { RunStore } from '../runStore';
import { namedTensors } from './storeSink';

export interface RunModel {
  manifest: RunManifest;
  spec: ModelSpec;
  checkpoint: string;
  weights: NamedTensor[];
  metadata: Record<string, string>;
  preprocessing: Preprocessing;
  /** Set when the preprocessing was not recorded with the run and had to be reconstructed. */
  preprocessingNote?: string;
}

export async function loadRunModel(store: RunStore, id: string, checkpoint?: string, opts: { dataRoot?: string } = {}): Promise<RunModel> {
  const manifest = await store.get(id);
  const spec = runModelSpec(manifest);
  const name = checkpoint ?? (await defaultCheckpoint(store, id));
  if (isOptimizerCheckpoint(name)) throw new Error(`'${name}' is an optimizer-state checkpoint, not weights; name a model checkpoint such as 'best' or 'last'`);
  const file = await store.readCheckpoint(id, name);
  const { preprocessing, note } = await runPreprocessing(store, manifest, spec, file.metadata, opts);
  return { manifest, spec, checkpoint: name, weights: namedTensors(file), metadata: file.metadata, preprocessing, ...(note ? { preprocessingNote: note } : {}) };
}

async function runPreprocessing(
  store: RunStore,
  manifest: RunManifest,
  spec: ModelSpec,
  metadata: Record<string, string>,
  opts: { dataRoot?: string },
): Promise<{ preprocessing: Preprocessing; note?: string }> {
  const inFile = metadata[PREPROCESSING_KEY];
  if (inFile !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(inFile);
    } catch {
      throw new Error(`run ${manifest.id}: the checkpoint's ${PREPROCESSING_KEY} metadata is not JSON`);
    }
    return { preprocessing: parsePreprocessing(json, `run ${manifest.id} checkpoint`) };
  }
  if (manifest.preprocessing !== undefined) return { preprocessing: parsePreprocessing(manifest.preprocessing, `run ${manifest.id} manifest`) };
  const datasetId = manifest.dataset.id;
  let d: { classes: string[]; mean: number[]; std: number[]; fit?: Preprocessing['fit'] };
  try {
    if (datasetId === BUILTIN_FASHION_MNIST_MINI) d = await describeBuiltin({ dataRoot: opts.dataRoot });
    else {
      const m = await getDataset(store.home, datasetId);
      d = { classes: m.classes, mean: m.mean, std: m.std, ...(m.source.fit ? { fit: m.source.fit } : {}) };
    }
  } catch (e) {
    throw new Error(`run ${manifest.id} does not record its preprocessing (it predates that) and its dataset ${datasetId} cannot be read (${(e as Error).message}), so its inputs cannot be prepared`, { cause: e });
  }
  return {
    preprocessing: { input: [...spec.input] as Preprocessing['input'], fit: d.fit ?? 'resize', mean: d.mean, std: d.std, classes: d.classes },
    note: `run ${manifest.id} predates recorded preprocessing: using its dataset ${datasetId}'s normalisation, fit and classes`,
  };
}

/** The full spec (with its input shape) a run was trained with: the CLI and the app record it
 *  in the config as `train.spec` (or `spec`). */
export function runModelSpec(manifest: RunManifest): ModelSpec {
  const config = (manifest.config ?? {}) as { train?: { spec?: unknown }; spec?: unknown };
  const spec = config.train?.spec ?? config.spec;
  if (!spec) throw new Error(`Run ${manifest.id} does not record its full model spec (input shape and layers), so it cannot be rebuilt (evaluated, exported as ONNX); export the weights as safetensors instead`);
  return parseJson(spec);
}

/** The checkpoint exports, evaluation and prediction use when none is named: `best` (the
 *  highest validation accuracy) when the run has it, else its newest weights: the one its summary
 *  names, else `last`, else the newest that is not an optimizer-state file. */
export async function defaultCheckpoint(store: RunStore, id: string): Promise<string> {
  const all = await store.listCheckpoints(id);
  if (all.length === 0) throw new Error(`Run ${id} has no checkpoints (it ended before the first was saved)`);
  if (all.some((c) => c.name === BEST_CHECKPOINT)) return BEST_CHECKPOINT;
  const named = (await store.get(id)).summary?.lastCheckpoint;
  if (typeof named === 'string' && all.some((c) => c.name === named)) return named;
  if (all.some((c) => c.name === LAST_CHECKPOINT)) return LAST_CHECKPOINT;
  const models = all.filter((c) => !isOptimizerCheckpoint(c.name));
  if (models.length === 0) throw new Error(`Run ${id} has only optimizer-state checkpoints, no weights`);
  return [...models].sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt))[0]!.name;
}
