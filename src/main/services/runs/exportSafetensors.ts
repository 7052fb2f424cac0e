// Export of a checkpoint as a standalone .safetensors file, with tensor names as PyTorch's
// nn.Sequential state_dict has them ('0.weight', '3.bias', ...), so
// `model.load_state_dict(load_file(path))` works as is, and the run's preprocessing in
// `__metadata__["convlab.preprocessing"]`, so the file alone says how to feed the model.
//
// A checkpoint written since preprocessing is recorded already is that file and is copied byte
// for byte (after the strict reader has checked it, so a damaged checkpoint is refused here rather
// than in Python); an older one is rewritten with the preprocessing added.
import { readFile } from 'node:fs/promises';
import { readSafetensors, writeSafetensors } from '../../../shared/formats/safetensors';
import { PREPROCESSING_KEY } from '../../../shared/runRecord';
import type { RunStore } from '../runStore';
import { checkpointPath } from './layout';
import { defaultCheckpoint, loadRunModel } from './runModel';

/** The checked bytes of a checkpoint as stored, ready to write elsewhere. */
export async function checkpointBytes(store: RunStore, id: string, name?: string): Promise<{ name: string; bytes: Uint8Array }> {
  const chosen = name ?? (await defaultCheckpoint(store, id));
  const path = checkpointPath(store.runsDir, id, chosen);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await store.get(id); // a missing run gets the run store's message
    const have = (await store.listCheckpoints(id)).map((c) => c.name);
    throw new Error(`Run ${id} has no checkpoint '${chosen}' (it has: ${have.length ? have.join(', ') : 'none'})`, { cause: e });
  }
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    readSafetensors(view);
  } catch (e) {
    throw new Error(`Checkpoint '${chosen}' of run ${id} is damaged: ${(e as Error).message}`, { cause: e });
  }
  return { name: chosen, bytes: view };
}

/** The exported file: the checkpoint with the run's preprocessing in its metadata. */
export async function exportableSafetensors(store: RunStore, id: string, name?: string): Promise<{ name: string; bytes: Uint8Array; note?: string }> {
  const stored = await checkpointBytes(store, id, name);
  const file = readSafetensors(stored.bytes);
  if (file.metadata[PREPROCESSING_KEY] !== undefined) return stored;
  let model;
  try {
    model = await loadRunModel(store, id, stored.name);
  } catch (e) {
    // Weights nobody can rebuild a model around (a run written by another program without its
    // spec) are still worth exporting as they are.
    return { ...stored, note: `the file carries no ${PREPROCESSING_KEY}: ${(e as Error).message}` };
  }
  const bytes = writeSafetensors(model.weights, { ...file.metadata, [PREPROCESSING_KEY]: JSON.stringify(model.preprocessing) });
  return { name: stored.name, bytes, ...(model.preprocessingNote ? { note: model.preprocessingNote } : {}) };
}
