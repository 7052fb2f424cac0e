// Export of a checkpoint as a standalone .safetensors file. The stored checkpoint already is one,
// with tensor names as PyTorch's nn.Sequential state_dict has them ('0.weight', '3.bias', ...), so
// `model.load_state_dict(load_file(path))` works as is. The bytes are validated with the strict
// reader before they are copied, so a damaged checkpoint is refused here rather than in Python.
import { readFile } from 'node:fs/promises';
import { readSafetensors } from '../../../shared/formats/safetensors';
import type { RunStore } from '../runStore';
import { checkpointPath } from './layout';

/** The run's last model checkpoint: the one its summary names (the trainer records it), else
 *  'last', else the newest that is not an optimizer-state file. */
export async function defaultCheckpoint(store: RunStore, id: string): Promise<string> {
  const all = await store.listCheckpoints(id);
  if (all.length === 0) throw new Error(`Run ${id} has no checkpoints to export; export its metrics with --format csv instead`);
  const named = (await store.get(id)).summary?.lastCheckpoint;
  if (typeof named === 'string' && all.some((c) => c.name === named)) return named;
  if (all.some((c) => c.name === 'last')) return 'last';
  const models = all.filter((c) => !c.name.endsWith('-optimizer'));
  return [...(models.length ? models : all)].sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt))[0]!.name;
}

/** The checked bytes of a checkpoint, ready to write elsewhere. */
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
