// Where datasets live under a Conv Lab home, and the one gate every id passes before it becomes a
// path. Ids come from the renderer, the CLI and the network host; only strings matching the strict
// id pattern (letters, digits and dashes, no dots or separators) are ever joined onto <home>/datasets,
// and the result is checked to still sit directly inside it.
import { join, resolve, dirname } from 'node:path';
import { BUILTIN_FASHION_MNIST_MINI, isDatasetId } from '../../../shared/datasetFormat';

export function datasetsRoot(home: string): string {
  return join(resolve(home), 'datasets');
}

export function unknownDatasetError(ref: string): Error {
  return new Error(
    `Unknown dataset "${ref}": run \`convlab datasets list\` to see stored datasets, or use ${BUILTIN_FASHION_MNIST_MINI}`,
  );
}

/** The folder of a stored dataset. Throws the "unknown dataset" message for anything that is not a
 *  well-formed id, so a crafted id ("../runs", "ds-…/../x") never reaches the file system. */
export function datasetDir(home: string, id: string): string {
  if (typeof id !== 'string' || !isDatasetId(id)) throw unknownDatasetError(String(id));
  const root = datasetsRoot(home);
  const dir = join(root, id);
  if (dirname(dir) !== root) throw unknownDatasetError(id); // belt and braces; the pattern already forbids this
  return dir;
}
